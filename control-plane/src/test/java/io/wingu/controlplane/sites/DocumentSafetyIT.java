package io.wingu.controlplane.sites;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SamplePdf;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TenantSite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDJavascriptNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.common.filespecification.PDSimpleFileSpecification;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionJavaScript;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionLaunch;
import org.apache.pdfbox.pdmodel.interactive.action.PDFormFieldAdditionalActions;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attacks through document uploads, on the real server: files sent before (or without) being signed
 * in, and PDFs (made here with PDFBox) that carry scripts, launch actions or attachments.
 */
class DocumentSafetyIT {

  static ApiClient operator;
  static TenantSite site;

  @BeforeAll
  static void start() {
    operator = SharedControlPlane.operator();
    site = TenantSite.create(operator, "portal");
  }

  /** What appeared in the uploads folder while {@code action} ran. */
  static <T> List<String> filesWrittenDuring(Supplier<T> action, Consumer<T> check)
      throws IOException, InterruptedException {
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      WatchKey key =
          SharedControlPlane.get()
              .uploadsFolder()
              .register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      check.accept(action.get());
      List<String> created = new ArrayList<>();
      WatchKey signalled = watch.poll(1, java.util.concurrent.TimeUnit.SECONDS);
      if (signalled != null) {
        signalled.pollEvents().forEach(e -> created.add(String.valueOf(e.context())));
      }
      key.cancel();
      return created;
    }
  }

  @Test
  void anUploadWithoutAValidTokenIsRefusedBeforeAnyByteReachesTheDisk() throws Exception {
    byte[] large = new byte[5 * 1024 * 1024];
    System.arraycopy(SamplePdf.withText("x"), 0, large, 0, SamplePdf.withText("x").length);
    for (ApiClient caller :
        List.of(
            ApiClient.anonymous(SharedControlPlane.url()),
            ApiClient.withToken(SharedControlPlane.url(), "not-a-token"))) {
      List<String> written =
          filesWrittenDuring(
              () ->
                  caller.postFile(
                      site.path("/documents"),
                      "file",
                      "big.pdf",
                      "application/pdf",
                      large,
                      Map.of()),
              r -> {
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.contentType()).isEqualTo("application/problem+json");
              });
      assertThat(written).isEmpty();
    }
  }

  @Test
  void anotherInstitutionsWebmasterIsRefusedBeforeTheBodyIsRead() throws Exception {
    TenantSite other = TenantSite.create(operator, "portal");
    byte[] pdf = SamplePdf.withText("not yours");
    List<String> written =
        filesWrittenDuring(
            () ->
                other
                    .webmaster()
                    .postFile(
                        site.path("/documents"), "file", "x.pdf", "application/pdf", pdf, Map.of()),
            r -> assertThat(r.status()).isEqualTo(404));
    assertThat(written).isEmpty();
    List<String> auditorWrites =
        filesWrittenDuring(
            () ->
                SharedControlPlane.newPlatformUser("auditor")
                    .postFile(
                        site.path("/documents"), "file", "x.pdf", "application/pdf", pdf, Map.of()),
            r -> assertThat(r.status()).isEqualTo(403));
    assertThat(auditorWrites).isEmpty();
  }

  interface Build {
    void into(PDDocument pdf, PDPage page) throws IOException;
  }

  static byte[] pdf(Build build) {
    try (PDDocument pdf = new PDDocument();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage(PDRectangle.A4);
      pdf.addPage(page);
      build.into(pdf, page);
      pdf.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void refused(byte[] file, String why) {
    var r =
        site.webmaster()
            .postFile(
                site.path("/documents"), "file", "report.pdf", "application/pdf", file, Map.of());
    assertThat(r.status()).as(why + ": " + r.body()).isEqualTo(400);
    assertThat(r.contentType()).isEqualTo("application/problem+json");
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("file");
  }

  @Test
  void htmlDressedAsAPdfIsRefused() {
    refused(
        "%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n"
            .getBytes(StandardCharsets.US_ASCII),
        "HTML behind %PDF-");
    byte[] real = SamplePdf.withText("cut short");
    refused(java.util.Arrays.copyOf(real, real.length / 3), "a truncated PDF");
  }

  @Test
  void pdfsCarryingScriptsLaunchActionsOrAttachmentsAreRefused() {
    refused(
        pdf(
            (pdf, page) ->
                pdf.getDocumentCatalog().setOpenAction(new PDActionJavaScript("app.alert(1)"))),
        "OpenAction JavaScript");
    refused(
        pdf(
            (pdf, page) -> {
              PDDocumentCatalog catalog = pdf.getDocumentCatalog();
              PDDocumentNameDictionary names = new PDDocumentNameDictionary(catalog);
              PDJavascriptNameTreeNode scripts = new PDJavascriptNameTreeNode();
              scripts.setNames(Map.of("hello", new PDActionJavaScript("app.alert(2)")));
              names.setJavascript(scripts);
              catalog.setNames(names);
            }),
        "Names/JavaScript tree");
    refused(
        pdf(
            (pdf, page) -> {
              PDAnnotationLink link = new PDAnnotationLink();
              link.setRectangle(new PDRectangle(10, 10, 100, 20));
              link.setAction(new PDActionJavaScript("app.alert(3)"));
              page.getAnnotations().add(link);
            }),
        "a link annotation's JavaScript");
    refused(
        pdf(
            (pdf, page) -> {
              PDAcroForm form = new PDAcroForm(pdf);
              pdf.getDocumentCatalog().setAcroForm(form);
              PDTextField field = new PDTextField(form);
              field.setPartialName("name");
              PDAnnotationWidget widget = field.getWidgets().get(0);
              widget.setRectangle(new PDRectangle(10, 50, 100, 20));
              widget.setPage(page);
              page.getAnnotations().add(widget);
              form.getFields().add(field);
              PDFormFieldAdditionalActions actions = new PDFormFieldAdditionalActions();
              actions.setK(new PDActionJavaScript("app.alert(4)"));
              field.getCOSObject().setItem(org.apache.pdfbox.cos.COSName.AA, actions);
            }),
        "a form field's JavaScript");
    refused(
        pdf(
            (pdf, page) -> {
              PDActionLaunch launch = new PDActionLaunch();
              PDSimpleFileSpecification target = new PDSimpleFileSpecification();
              target.setFile("C:\\Windows\\System32\\calc.exe");
              launch.setFile(target);
              pdf.getDocumentCatalog().setOpenAction(launch);
            }),
        "a Launch action");
    refused(
        pdf(
            (pdf, page) -> {
              PDEmbeddedFile data =
                  new PDEmbeddedFile(
                      pdf,
                      new java.io.ByteArrayInputStream(
                          "MZ not really an exe".getBytes(StandardCharsets.US_ASCII)));
              PDComplexFileSpecification spec = new PDComplexFileSpecification();
              spec.setFile("payload.exe");
              spec.setEmbeddedFile(data);
              PDEmbeddedFilesNameTreeNode files = new PDEmbeddedFilesNameTreeNode();
              files.setNames(Map.of("payload.exe", spec));
              PDDocumentNameDictionary names =
                  new PDDocumentNameDictionary(pdf.getDocumentCatalog());
              names.setEmbeddedFiles(files);
              pdf.getDocumentCatalog().setNames(names);
            }),
        "an embedded file");
    var documents = site.webmaster().get(site.path("/documents")).json();
    assertThat(documents.getJsonArray("items")).isEmpty();
  }

  @Test
  void plainPdfsAreStillAccepted() {
    TenantSite site = TenantSite.create(operator, "portal");
    for (byte[] file : List.of(SamplePdf.withText("Budget 2026"), pdf((pdf, page) -> {}))) {
      var r =
          site.webmaster()
              .postFile(
                  site.path("/documents"),
                  "file",
                  "budget.pdf",
                  "application/pdf",
                  file,
                  Map.of("title", "Budget"));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      assertThat(r.json().getString("fileName")).isEqualTo("budget.pdf");
    }
  }
}
