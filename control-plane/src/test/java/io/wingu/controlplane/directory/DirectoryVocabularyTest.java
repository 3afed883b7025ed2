package io.wingu.controlplane.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wingu.controlplane.app.ApiContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The code's categories and regions are the OpenAPI document's, and the search text is cleaned, not
 * refused.
 */
class DirectoryVocabularyTest {

  private static List<String> enumOf(String schema) throws Exception {
    JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(ApiContract.document());
    List<String> out = new ArrayList<>();
    doc.path("components")
        .path("schemas")
        .path(schema)
        .path("enum")
        .forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void categoriesAndRegionsMatchTheContract() throws Exception {
    assertThat(enumOf("DirectoryCategory"))
        .containsExactlyElementsOf(DirectoryVocabulary.CATEGORIES);
    assertThat(enumOf("DirectoryRegion")).containsExactlyElementsOf(DirectoryVocabulary.REGIONS);
  }

  @Test
  void queriesAreCleanedNotRefused() {
    assertThat(DirectorySearch.cleanQuery("  afya\u0000ya\tmama ")).isEqualTo("afya ya mama");
    assertThat(DirectorySearch.cleanQuery("   ")).isNull();
    assertThat(DirectorySearch.cleanQuery("x".repeat(500)))
        .hasSize(DirectorySearch.MAX_QUERY_CHARS);
    String emoji = "a".repeat(DirectorySearch.MAX_QUERY_CHARS - 1) + "\uD83C\uDF0D";
    assertThat(DirectorySearch.cleanQuery(emoji)).hasSize(DirectorySearch.MAX_QUERY_CHARS - 1);
  }

  @Test
  void urlsMustBeHttpsWithAHost() {
    assertThat(DirectoryService.urlProblem("https://moh.go.tz/huduma?x=1")).isNull();
    assertThat(DirectoryService.urlProblem("http://moh.go.tz")).contains("https");
    assertThat(DirectoryService.urlProblem("https://a b")).isNotNull();
    assertThat(DirectoryService.urlProblem("HTTPS://moh.go.tz")).isNotNull();
  }

  @Test
  void csvCellsASpreadsheetWouldRunAreDefused() {
    assertThat(io.wingu.controlplane.app.Csv.defuse("=SUM(A1)")).isEqualTo("'=SUM(A1)");
    assertThat(io.wingu.controlplane.app.Csv.defuse("@cmd")).isEqualTo("'@cmd");
    assertThat(io.wingu.controlplane.app.Csv.defuse("Afya")).isEqualTo("Afya");
  }
}
