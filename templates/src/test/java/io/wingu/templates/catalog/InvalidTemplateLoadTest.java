package io.wingu.templates.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broken template is refused with its file and field named, and the rest of the catalogue still
 * loads.
 */
class InvalidTemplateLoadTest {

  @TempDir Path dir;

  @Test
  void eachBrokenTemplateIsReportedAndTheGoodOneStillLoads() {
    TemplateCatalog catalog =
        new CatalogFolder(dir)
            .withShared()
            .withTemplate("minimal-landing")
            .withTemplateYaml(
                "no-id",
                "minimal-landing",
                CatalogFolder.shippedYaml("minimal-landing", "id: minimal-landing\n", ""))
            .withTemplateYaml(
                "bad-version",
                "minimal-landing",
                CatalogFolder.shippedYaml(
                    "minimal-landing",
                    "id: minimal-landing\nversion: 1.0.0",
                    "id: bad-version\nversion: \"1.0\""))
            .withTemplateYaml(
                "bad-schema",
                "minimal-landing",
                CatalogFolder.shippedYaml(
                        "minimal-landing", "id: minimal-landing\n", "id: bad-schema\n")
                    .replace(
                        "  type: object\n  required: [institution, palette, contacts]",
                        "  type: objekt\n  required: institution"))
            .withTemplateYaml(
                "bad-example",
                "minimal-landing",
                CatalogFolder.shippedYaml(
                        "minimal-landing", "id: minimal-landing\n", "id: bad-example\n")
                    .replace("  palette: udongo\n", "  palette: neon-pink\n"))
            .load();

    assertThat(catalog.templates()).extracting(Template::id).containsExactly("minimal-landing");
    List<LoadError> errors = catalog.loadErrors();
    assertThat(errors)
        .anySatisfy(error -> assertError(error, "no-id/template.yaml", "/id", "required"));
    assertThat(errors)
        .anySatisfy(
            error ->
                assertError(error, "bad-version/template.yaml", "/version", "semantic version"));
    assertThat(errors)
        .anySatisfy(
            error ->
                assertError(error, "bad-schema/template.yaml", "/parameters/type", "JSON Schema"));
    assertThat(errors)
        .anySatisfy(
            error ->
                assertError(
                    error, "bad-schema/template.yaml", "/parameters/required", "JSON Schema"));
    assertThat(errors)
        .anySatisfy(
            error ->
                assertError(
                    error, "bad-example/template.yaml", "/example/palette", "does not validate"));
    assertThat(errors)
        .extracting(LoadError::file)
        .allMatch(file -> !file.startsWith("minimal-landing"));
  }

  @Test
  void unreadableYamlAndMissingDescriptorAreReported() {
    TemplateCatalog catalog =
        new CatalogFolder(dir)
            .withShared()
            .withTemplate("agency-services")
            .write("broken-yaml/template.yaml", "id: broken-yaml\nversion: [1.0.0\n")
            .write("no-descriptor/pages/home.mustache", "<p>{{site.institution.name}}</p>")
            .load();

    assertThat(catalog.templates()).extracting(Template::id).containsExactly("agency-services");
    assertThat(catalog.loadErrors())
        .anySatisfy(error -> assertError(error, "broken-yaml/template.yaml", "", "not valid YAML"));
    assertThat(catalog.loadErrors())
        .anySatisfy(
            error -> assertError(error, "no-descriptor/template.yaml", "", "no template.yaml"));
  }

  @Test
  void idMustMatchItsFolderAndMustacheMustCompile() {
    TemplateCatalog catalog =
        new CatalogFolder(dir)
            .withShared()
            .withTemplateYaml(
                "renamed",
                "minimal-landing",
                CatalogFolder.shippedYaml(
                    "minimal-landing", "id: minimal-landing\n", "id: other-name\n"))
            .withTemplate("news-announcements")
            .write("news-announcements/pages/about.mustache", "{{#site}}unclosed section")
            .load();

    assertThat(catalog.templates()).isEmpty();
    assertThat(catalog.loadErrors())
        .anySatisfy(error -> assertError(error, "renamed/template.yaml", "/id", "folder name"));
    assertThat(catalog.loadErrors())
        .anySatisfy(
            error ->
                assertError(
                    error, "news-announcements/pages/about.mustache", "", "Mustache syntax"));
  }

  @Test
  void paletteBelowWcagContrastIsRefusedAndLeftOutOfTheEnum() {
    TemplateCatalog catalog =
        new CatalogFolder(dir)
            .withShared()
            .withTemplate("minimal-landing")
            .write(
                "_shared/palettes.yaml",
                """
                        kijani: {name: {sw: Kijani, en: Green}, primary: "#0b5e34", onPrimary: "#ffffff", accent: "#fcd116",
                          link: "#0a5a31", surface: "#eef6f0", text: "#1b1f1c", background: "#ffffff", focus: "#0b0c0c", focusHalo: "#ffd43b"}
                        pastel: {name: {sw: Rangi hafifu, en: Pastel}, primary: "#a8d8ea", onPrimary: "#ffffff", accent: "#fcd116",
                          link: "#88bbdd", surface: "#ffffff", text: "#999999", background: "#ffffff", focus: "#0b0c0c", focusHalo: "#ffd43b"}
                        """)
            .load();

    assertThat(catalog.palettes().all()).containsOnlyKeys("kijani");
    assertThat(catalog.loadErrors())
        .anySatisfy(error -> assertError(error, "_shared/palettes.yaml", "/pastel", "WCAG"));
    assertThat(catalog.loadErrors())
        .anySatisfy(
            error ->
                assertError(
                    error,
                    "_shared/parameters.yaml",
                    "/$defs/palette/enum",
                    "accessible palettes"));
  }

  private static void assertError(LoadError error, String file, String field, String messagePart) {
    assertThat(error.file()).isEqualTo(file);
    assertThat(error.field()).isEqualTo(field);
    assertThat(error.message()).contains(messagePart);
  }
}
