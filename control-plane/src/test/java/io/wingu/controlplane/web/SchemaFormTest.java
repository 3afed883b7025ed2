package io.wingu.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wingu.templates.catalog.Template;
import io.wingu.templates.catalog.TemplateCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The form generated from a template's schema covers its parameters, and reading it back rebuilds
 * them.
 */
class SchemaFormTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyTemplatesExampleSurvivesTheRoundTripThroughItsForm() {
    for (Template template : TemplateCatalog.loadDefault().templates()) {
      SchemaForm form = new SchemaForm(template.parametersSchema(), name -> name);
      JsonNode example = template.example();
      List<SchemaForm.Row> rows = form.rows(example);
      assertThat(rows)
          .as(template.id())
          .anyMatch(r -> r.name().equals("institution.name.sw") && !r.heading());
      ObjectNode rebuilt = JsonNodeFactory.instance.objectNode();
      if (example.has("logo")) {
        rebuilt.set("logo", example.get("logo"));
      }
      for (SchemaForm.Row row : rows) {
        if (!row.heading() && !row.value().isEmpty()) {
          SchemaForm.set(
              rebuilt,
              row.name(),
              row.kind().equals("checkbox")
                  ? JsonNodeFactory.instance.booleanNode(true)
                  : JsonNodeFactory.instance.textNode(row.value()));
        }
      }
      SchemaForm.prune(rebuilt);
      assertThat(rebuilt).as(template.id()).isEqualTo(example);
      assertThat(template.validate(rebuilt)).as(template.id()).isEmpty();
    }
  }

  @Test
  void arraysOfferOneEmptyItemMoreAndEmptyItemsAreDropped() throws Exception {
    JsonNode schema =
        JSON.readTree(
            """
        {"type":"object","properties":{"services":{"type":"array","maxItems":3,"items":{"type":"object",
          "properties":{"title":{"type":"string"}}}}}}""");
    SchemaForm form = new SchemaForm(schema, name -> name);
    JsonNode values = JSON.readTree("{\"services\":[{\"title\":\"a\"}]}");
    assertThat(form.rows(values).stream().filter(r -> !r.heading()).map(SchemaForm.Row::name))
        .containsExactly("services[0].title", "services[1].title");
    ObjectNode edited = (ObjectNode) values.deepCopy();
    SchemaForm.set(edited, "services[0].title", null);
    SchemaForm.set(edited, "services[1].title", JsonNodeFactory.instance.textNode("b"));
    SchemaForm.prune(edited);
    assertThat(edited).isEqualTo(JSON.readTree("{\"services\":[{\"title\":\"b\"}]}"));
  }
}
