package io.wingu.templates.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wingu.templates.Language;
import io.wingu.templates.LocalizedText;
import io.wingu.templates.UnsafePathException;
import io.wingu.templates.catalog.Template;
import io.wingu.templates.content.ContentEntry;
import io.wingu.templates.content.Document;
import io.wingu.templates.content.FileSource;
import io.wingu.templates.content.SiteContent;
import io.wingu.templates.testing.ExampleSites;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class BundleTest {

  private final Template template = ExampleSites.catalog().get("ministry-portal");
  private final SiteContent content = ExampleSites.catalog().exampleContent();

  @Test
  void renderingTwiceGivesIdenticalBytesAndDigest() {
    Bundle first = SiteRenderer.render(template, template.example(), content);
    Bundle second = SiteRenderer.render(template, template.example().deepCopy(), content);

    assertThat(second.files().keySet()).containsExactlyElementsOf(first.files().keySet());
    assertThat(second.toTarGz()).isEqualTo(first.toTarGz());
    assertThat(second.digest()).isEqualTo(first.digest()).matches("[0-9a-f]{64}");
  }

  @Test
  void parameterKeyOrderDoesNotChangeTheDigest() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    ObjectNode reordered = json.createObjectNode();
    List<String> keys = new ArrayList<>();
    template.example().fieldNames().forEachRemaining(keys::add);
    java.util.Collections.reverse(keys);
    keys.forEach(key -> reordered.set(key, template.example().get(key)));

    assertThat(SiteRenderer.render(template, reordered, content).digest())
        .isEqualTo(SiteRenderer.render(template, template.example(), content).digest());
  }

  @Test
  void differentContentOrParametersGiveADifferentDigest() {
    Bundle base = SiteRenderer.render(template, template.example(), content);
    List<ContentEntry> news = new ArrayList<>(content.news());
    news.add(
        new ContentEntry("extra", LocalizedText.both("Extra"), LocalizedText.both("Body"), null));
    SiteContent more =
        new SiteContent(content.pages(), news, content.publications(), content.documents());
    ObjectNode otherPalette = ((ObjectNode) template.example().deepCopy()).put("palette", "usiku");

    assertThat(SiteRenderer.render(template, template.example(), more).digest())
        .isNotEqualTo(base.digest());
    assertThat(SiteRenderer.render(template, otherPalette, content).digest())
        .isNotEqualTo(base.digest());
  }

  @Test
  void tarEntriesAreSortedWithFixedMetadata() throws IOException {
    Bundle bundle = SiteRenderer.render(template, template.example(), content);
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            new GZIPInputStream(new ByteArrayInputStream(bundle.toTarGz())))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        names.add(entry.getName());
        assertThat(entry.getMode() & 07777).isEqualTo(0644);
        assertThat(entry.getLongUserId()).isZero();
        assertThat(entry.getLongGroupId()).isZero();
        assertThat(entry.getLastModifiedTime().toInstant())
            .isEqualTo(io.wingu.templates.archive.DeterministicTarGz.MODIFIED);
      }
    }
    assertThat(names).isSorted().containsExactlyElementsOf(bundle.files().keySet());
    assertThat(names).allMatch(name -> !name.startsWith("/") && !name.contains(".."));
    assertThat(names)
        .contains(
            "index.html",
            "assets/site.css",
            "assets/site.js",
            "assets/logo.svg",
            "sw/search-index.json",
            "en/search-index.json");
  }

  @Test
  void documentsAndUploadedImagesAreIncludedOnlyWhenTheirBytesMatchTheDigest() {
    byte[] pdf = "%PDF-1.4 budget".getBytes(StandardCharsets.US_ASCII);
    byte[] png = new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    String pdfDigest = Bundle.sha256Hex(pdf);
    String pngDigest = Bundle.sha256Hex(png);
    Document budget =
        new Document(
            "budget-2026",
            new LocalizedText("Bajeti 2026", "Budget 2026"),
            "bajeti-2026.pdf",
            pdfDigest,
            pdf.length);
    SiteContent withDocument =
        new SiteContent(content.pages(), content.news(), content.publications(), List.of(budget));
    ObjectNode parameters = template.example().deepCopy();
    parameters
        .putObject("logo")
        .putObject("asset")
        .put("digest", pngDigest)
        .put("fileName", "nembo.png");
    Map<String, byte[]> uploads = Map.of(pdfDigest, pdf, pngDigest, png);
    FileSource files = digest -> uploads.get(digest);

    Bundle bundle = SiteRenderer.render(template, parameters, withDocument, files);

    assertThat(bundle.file("documents/budget-2026/bajeti-2026.pdf")).contains(pdf);
    assertThat(bundle.file("uploads/" + pngDigest + "/nembo.png")).contains(png);
    assertThat(bundle.text("en/publications.html").orElseThrow())
        .contains("href=\"../documents/budget-2026/bajeti-2026.pdf\"", "Budget 2026");
    assertThat(bundle.text("sw/index.html").orElseThrow())
        .contains("src=\"../uploads/" + pngDigest + "/nembo.png\"");
    FileSource tampered = digest -> "something else".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> SiteRenderer.render(template, parameters, withDocument, tampered))
        .hasMessageContaining("does not match");
    assertThatThrownBy(() -> SiteRenderer.render(template, parameters, withDocument))
        .hasMessageContaining("no file source");
  }

  @Test
  void invalidParametersAreRefusedWithTheirErrors() {
    ObjectNode parameters = ((ObjectNode) template.example().deepCopy()).put("palette", "neon");
    assertThatThrownBy(() -> SiteRenderer.render(template, parameters, content))
        .isInstanceOfSatisfying(
            InvalidParametersException.class,
            e -> assertThat(e.errors()).extracting(error -> error.field()).contains("/palette"));
  }

  @Test
  void unsafeSlugsNeverReachTheBundle() {
    assertThatThrownBy(
            () ->
                new ContentEntry(
                    "../../etc/passwd", LocalizedText.both("x"), LocalizedText.both("y"), null))
        .isInstanceOf(UnsafePathException.class);
    assertThatThrownBy(() -> Bundle.builder().put("/etc/passwd", "x"))
        .isInstanceOf(UnsafePathException.class);
    assertThatThrownBy(() -> Bundle.builder().put("sw/../../x", "x"))
        .isInstanceOf(UnsafePathException.class);
    assertThatThrownBy(() -> Bundle.builder().put("sw//x", "x"))
        .isInstanceOf(UnsafePathException.class);
  }

  @Test
  void previewIsOneStandalonePage() {
    String home = SiteRenderer.renderPage(template, template.example(), content);
    assertThat(home)
        .contains("<html lang=\"sw\"", "<style>", "data:image/svg+xml;base64,")
        .doesNotContain("assets/site.css");
    String news =
        SiteRenderer.renderPage(
            template,
            template.example(),
            content,
            Language.EN,
            "news/huduma-mtandaoni.html",
            FileSource.none());
    assertThat(news).contains("<html lang=\"en\"", "New online services");
    assertThatThrownBy(
            () ->
                SiteRenderer.renderPage(
                    template,
                    template.example(),
                    content,
                    Language.EN,
                    "nope.html",
                    FileSource.none()))
        .hasMessageContaining("en/nope.html");
  }
}
