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
  void listsShowTheirItemsAndTheirButtonsAddRemoveAndMoveThem() throws Exception {
    JsonNode schema =
        JSON.readTree(
            """
        {"type":"object","properties":{"services":{"type":"array","maxItems":3,"items":{"type":"object",
          "properties":{"title":{"type":"string"}}}}}}""");
    SchemaForm form = new SchemaForm(schema, name -> null);
    ObjectNode values = (ObjectNode) JSON.readTree("{\"services\":[{\"title\":\"a\"}]}");
    assertThat(form.rows(values).stream().filter(r -> !r.heading()).map(SchemaForm.Row::name))
        .containsExactly("services[0].title");
    assertThat(SchemaForm.applyListOp(values, "add:services")).isTrue();
    SchemaForm.set(values, "services[1].title", JsonNodeFactory.instance.textNode("b"));
    assertThat(SchemaForm.applyListOp(values, "add:services")).isTrue();
    // an item left empty is kept: only its remove button takes it away
    SchemaForm.keepItems(values);
    assertThat(values)
        .isEqualTo(JSON.readTree("{\"services\":[{\"title\":\"a\"},{\"title\":\"b\"},{}]}"));
    assertThat(form.rows(values).stream().filter(r -> r.kind().equals("listEnd")))
        .singleElement()
        .satisfies(r -> assertThat(r.item().canAdd()).isFalse());
    assertThat(SchemaForm.applyListOp(values, "up:services:1")).isTrue();
    assertThat(SchemaForm.applyListOp(values, "remove:services:2")).isTrue();
    assertThat(values)
        .isEqualTo(JSON.readTree("{\"services\":[{\"title\":\"b\"},{\"title\":\"a\"}]}"));
    assertThat(SchemaForm.applyListOp(values, "down:services:0")).isTrue();
    assertThat(values)
        .isEqualTo(JSON.readTree("{\"services\":[{\"title\":\"a\"},{\"title\":\"b\"}]}"));
    assertThat(SchemaForm.applyListOp(values, "remove:services:9")).isFalse();
    assertThat(SchemaForm.applyListOp(values, "drop:services:0")).isFalse();
  }

  @Test
  void theExampleIsEachFieldsSampleNeverItsValue() {
    Template template = TemplateCatalog.loadDefault().find("ministry-portal").orElseThrow();
    SchemaForm form = new SchemaForm(template.parametersSchema(), name -> null);
    List<SchemaForm.Row> rows =
        form.rows(JsonNodeFactory.instance.objectNode(), template.example(), List.of("contacts"));
    SchemaForm.Row email =
        rows.stream().filter(r -> r.name().equals("contacts.email")).findFirst().orElseThrow();
    assertThat(email.value()).isEmpty();
    assertThat(email.sample()).isEqualTo(template.example().at("/contacts/email").asText());
    // within its section a field is labelled without the section's name
    assertThat(email.label()).isEqualTo("email");
    assertThat(
            form
                .rows(JsonNodeFactory.instance.objectNode(), template.example(), List.of("head"))
                .stream()
                .filter(r -> r.name().equals("head.photo")))
        .singleElement()
        .satisfies(r -> assertThat(r.kind()).isEqualTo("image"));
  }
}
