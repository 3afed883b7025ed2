package io.wingu.templates.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wingu.templates.testing.ExampleSites;
import org.junit.jupiter.api.Test;

class TemplateCatalogTest {

  private final TemplateCatalog catalog = ExampleSites.catalog();

  @Test
  void shippedCatalogueLoadsEveryTemplateWithoutErrors() {
    assertThat(catalog.loadErrors()).isEmpty();
    assertThat(catalog.templates())
        .extracting(Template::id)
        .containsExactly(
            "agency-services",
            "minimal-landing",
            "ministry-portal",
            "news-announcements",
            "regional-office");
  }

  @Test
  void everyTemplateDescribesItselfInBothLanguages() {
    for (Template template : catalog.templates()) {
      assertThat(template.version()).matches("\\d+\\.\\d+\\.\\d+");
      assertThat(template.name().sw()).isNotBlank().isNotEqualTo(template.name().en());
      assertThat(template.description().en()).isNotBlank();
      assertThat(template.validate(template.example())).as(template.id()).isEmpty();
    }
  }

  @Test
  void servedSchemaStandsAloneWithSharedDefinitionsInlined() {
    JsonNode schema = catalog.get("ministry-portal").parametersSchema();
    assertThat(schema.toString()).doesNotContain("shared#");
    assertThat(schema.at("/properties/palette/$ref").asText()).isEqualTo("#/$defs/palette");
    assertThat(schema.at("/$defs/palette/enum"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("bahari", "kijani", "udongo", "usiku", "zambarau");
    assertThat(schema.at("/properties/departments/description").asText()).isNotBlank();
  }

  @Test
  void validationNamesTheFieldOfEachProblem() {
    ObjectNode parameters = catalog.get("ministry-portal").example().deepCopy();
    ((ObjectNode) parameters.get("institution").get("name")).remove("en");
    parameters.put("palette", "hotpink");
    ((ObjectNode) parameters.get("contacts")).put("email", "not an email");

    assertThat(catalog.validate("ministry-portal", parameters))
        .extracting(ValidationError::field)
        .contains("/institution/name/en", "/palette", "/contacts/email");
  }

  @Test
  void remoteLogoUrlsAndUnknownFieldsAreRefused() {
    ObjectNode parameters = catalog.get("agency-services").example().deepCopy();
    parameters.putObject("logo").put("url", "https://cdn.example.com/logo.png");
    parameters.put("tracker", "<script src=https://tracker.example/t.js></script>");

    assertThat(catalog.validate("agency-services", parameters))
        .extracting(ValidationError::field)
        .contains("/logo", "");
  }

  @Test
  void svgLogoWithScriptOrExternalReferenceIsRefused() {
    for (String svg :
        new String[] {
          "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
          "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect width=\"1\" height=\"1\"/></svg>",
          "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><use xlink:href=\"https://evil.example/x.svg#a\"/></svg>",
          "<svg xmlns=\"http://www.w3.org/2000/svg\"><foreignObject><div>x</div></foreignObject></svg>",
          "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg xmlns=\"http://www.w3.org/2000/svg\">&x;</svg>",
          "<svg><rect width=\"1\" height=\"1\"/></svg>"
        }) {
      ObjectNode parameters = catalog.get("ministry-portal").example().deepCopy();
      ((ObjectNode) parameters.get("logo")).put("svg", svg);
      assertThat(catalog.validate("ministry-portal", parameters))
          .as(svg)
          .extracting(ValidationError::field)
          .contains("/logo/svg");
    }
  }

  @Test
  void unknownTemplateIsAnError() {
    assertThatThrownBy(() -> catalog.get("no-such-template"))
        .isInstanceOf(UnknownTemplateException.class)
        .hasMessageContaining("no-such-template");
  }

  @Test
  void exampleContentIsBilingual() {
    assertThat(catalog.exampleContent().news()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(catalog.exampleContent().publications()).isNotEmpty();
  }
}
