package io.wingu.controlplane.sites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.Problem;
import io.wingu.templates.LocalizedText;
import io.wingu.templates.catalog.ValidationError;
import io.wingu.templates.content.ContentEntry;
import io.wingu.templates.content.Document;
import io.wingu.templates.content.SiteContent;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure rules of content, uploads and deployments, without a server. */
class SiteInputsTest {

  static ContentEntry entry(String slug, String title) {
    return new ContentEntry(
        slug,
        LocalizedText.both(title),
        LocalizedText.both("body of " + title),
        LocalDate.of(2026, 1, 31));
  }

  @Test
  void aDeploymentsEntriesReplaceStoredOnesOfTheSameSlugAndKeepTheRest() {
    Document report =
        new Document("d1", LocalizedText.both("Report"), "report.pdf", "ab".repeat(32), 10);
    SiteContent stored =
        new SiteContent(
            List.of(entry("about", "stored about"), entry("history", "stored history")),
            List.of(entry("launch", "stored launch")),
            List.of(),
            List.of(report));
    SiteContent given =
        new SiteContent(
            List.of(entry("about", "new about"), entry("vision", "new vision")),
            List.of(),
            List.of(entry("budget", "new budget")),
            List.of());
    SiteContent merged = SiteContents.merge(stored, given);
    assertThat(merged.pages())
        .extracting(e -> e.slug() + "=" + e.title().en())
        .containsExactly("about=new about", "history=stored history", "vision=new vision");
    assertThat(merged.news()).extracting(ContentEntry::slug).containsExactly("launch");
    assertThat(merged.publications()).extracting(ContentEntry::slug).containsExactly("budget");
    assertThat(merged.documents()).containsExactly(report);
  }

  @Test
  void templateErrorsNameFieldsAsDottedPathsUnderParameters() {
    Problem p =
        Problem.of(
            DeploymentService.parametersRefused(
                List.of(
                    new ValidationError("/institution/name/sw", "required"),
                    new ValidationError("/services/2/title", "too long"),
                    new ValidationError("", "not an object"))));
    assertThat(p.status()).isEqualTo(400);
    assertThat(
            p.toJson().getJsonArray("errors").stream()
                .map(e -> ((io.vertx.core.json.JsonObject) e).getString("field")))
        .containsExactly(
            "parameters.institution.name.sw", "parameters.services[2].title", "parameters");
  }

  @Test
  void contentThatCannotBeReadIsA400NamingContent() {
    var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    json.putArray("pages").addObject().put("slug", "about");
    assertThatThrownBy(() -> DeploymentService.readContent(json))
        .isInstanceOfSatisfying(
            DomainError.Invalid.class,
            e -> {
              Problem p = Problem.of(e);
              assertThat(p.status()).isEqualTo(400);
              assertThat(p.toJson().getJsonArray("errors").getJsonObject(0).getString("field"))
                  .isEqualTo("content");
              assertThat(p.getMessage()).contains("pages[0].title");
            });
  }

  @Test
  void documentNamesArePlainPdfNames() {
    assertThat(ContentService.checkedFileName("Budget_2026-v2.pdf"))
        .isEqualTo("Budget_2026-v2.pdf");
    assertThat(ContentService.checkedFileName("REPORT.PDF")).isEqualTo("REPORT.PDF");
    for (String bad :
        new String[] {
          "../x.pdf",
          "/etc/x.pdf",
          "a/b.pdf",
          "a\\b.pdf",
          ".hidden.pdf",
          "x..pdf",
          "report.exe",
          "report",
          "",
          "a b.pdf",
          "x.pdf/",
          "C:x.pdf"
        }) {
      assertThatThrownBy(() -> ContentService.checkedFileName(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              DomainError.Invalid.class, e -> assertThat(Problem.of(e).status()).isEqualTo(400));
    }
    assertThatThrownBy(() -> ContentService.checkedFileName(null))
        .isInstanceOf(DomainError.Invalid.class);
  }

  @Test
  void aDocumentsTitleDefaultsToItsFileName() {
    assertThat(ContentService.documentTitle(null, "budget-2026.pdf")).isEqualTo("budget-2026");
    assertThat(ContentService.documentTitle("  ", "budget.pdf")).isEqualTo("budget");
    assertThat(ContentService.documentTitle(" Budget 2026 ", "budget.pdf"))
        .isEqualTo("Budget 2026");
    assertThatThrownBy(() -> ContentService.documentTitle("x".repeat(301), "a.pdf"))
        .isInstanceOf(DomainError.Invalid.class);
  }

  @Test
  void slugsAreChecked() {
    assertThat(ContentService.checkedSlug("annual-report-2026")).isEqualTo("annual-report-2026");
    assertThatThrownBy(() -> ContentService.checkedSlug("../etc"))
        .isInstanceOf(DomainError.Invalid.class);
    assertThatThrownBy(() -> ContentService.checkedSlug("-x"))
        .isInstanceOf(DomainError.Invalid.class);
  }
}
