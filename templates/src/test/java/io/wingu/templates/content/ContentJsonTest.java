package io.wingu.templates.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wingu.templates.UnsafePathException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ContentJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsWhatItWrites() throws Exception {
    JsonNode json =
        JSON.readTree(
            """
                {"pages":[{"slug":"about","title":{"sw":"Kuhusu","en":"About"},"body":{"sw":"a","en":"b"}}],
                 "news":[{"slug":"n1","title":{"sw":"H","en":"N"},"body":{"sw":"x","en":"y"},
                          "publishedAt":"2026-03-31T22:30:00Z"}],
                 "documents":[{"id":"d1","title":"Budget 2026","fileName":"budget-2026.pdf",
                               "digest":"%s","size":12}]}
                """
                .formatted("a".repeat(64)));
    SiteContent content = ContentJson.read(json);

    // 22:30 UTC is already the next day in Tanzania (UTC+3)
    assertThat(content.news().get(0).publishedAt()).isEqualTo(LocalDate.of(2026, 4, 1));
    assertThat(content.documents().get(0).title().sw()).isEqualTo("Budget 2026");
    assertThat(content.publications()).isEmpty();
    assertThat(ContentJson.read(ContentJson.write(content))).isEqualTo(content);
  }

  @Test
  void unsafeSlugsAndFileNamesAreRefused() {
    for (String slug :
        new String[] {"../etc", "a/b", "/abs", "..", "UPPER", "with space", "", "-lead"}) {
      assertThatThrownBy(() -> Slugs.checkSlug(slug))
          .as(slug)
          .isInstanceOf(UnsafePathException.class);
    }
    for (String name :
        new String[] {"../x.pdf", "a/b.pdf", ".hidden", "x..pdf", "C:\\x.pdf", "a b.pdf"}) {
      assertThatThrownBy(() -> Slugs.checkFileName(name))
          .as(name)
          .isInstanceOf(UnsafePathException.class);
    }
    assertThat(Slugs.checkSlug("mpango-2026")).isEqualTo("mpango-2026");
    assertThat(Slugs.checkFileName("Ripoti_2025.v2.pdf")).isEqualTo("Ripoti_2025.v2.pdf");
  }

  @Test
  void missingFieldsNameTheirPath() {
    assertThatThrownBy(
            () ->
                ContentJson.read(
                    JSON.readTree("{\"news\":[{\"slug\":\"a\",\"title\":{\"sw\":\"x\"}}]}")))
        .hasMessageContaining("news[0].title");
    assertThatThrownBy(
            () ->
                ContentJson.read(
                    JSON.readTree(
                        "{\"pages\":[{\"slug\":\"a\",\"title\":{\"sw\":\"x\",\"en\":\"y\"},\"body\":{\"sw\":\"x\",\"en\":\"y\"},\"publishedAt\":\"yesterday\"}]}")))
        .hasMessageContaining("pages[0].publishedAt");
  }
}
