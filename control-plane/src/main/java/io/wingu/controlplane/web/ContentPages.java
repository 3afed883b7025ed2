package io.wingu.controlplane.web;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.sites.ContentItem;
import io.wingu.controlplane.sites.ContentKind;
import io.wingu.controlplane.sites.ContentService;
import io.wingu.controlplane.sites.SiteListing;
import io.wingu.controlplane.sites.SiteView;
import io.wingu.templates.LocalizedText;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A site's written content and documents: lists by kind, a form to write an entry in both languages
 * with a preview step (the site build's own sanitizing Markdown renderer), deletion after a
 * confirmation page, and PDF uploads. ContentService, which the API calls too, holds the rules;
 * forms are checked against the API operation's schema. Operators and auditors read only.
 */
record ContentPages(
    SiteListing sites, ContentService content, ContractCheck contract, Views views, Path uploads) {

  private static final Access PUBLISHERS = Access.roles(Role.WEBMASTER, Role.INSTITUTION_ADMIN);

  /** Room for the multipart envelope (boundaries, the CSRF token and title) around the file. */
  private static final long MULTIPART_ENVELOPE_BYTES = 64 * 1024;

  /** The "new entry" form: no slug can be "_new" (slugs are lowercase letters, digits and '-'). */
  private static final String NEW = "_new";

  private static final List<String> FIELDS =
      List.of("slug", "titleSw", "titleEn", "bodySw", "bodyEn", "publishedAt");

  void addTo(Router router, SessionGate gate) {
    GatedRouter routes = new GatedRouter(router, gate);
    routes.get(
        "/sites/:id/documents", Access.readers(), ctx -> documents(ctx, new FormErrors(), "", 200));
    // who uploads, and to which site, is checked before the multipart body is read
    routes.postUpload(
        "/sites/:id/documents",
        PUBLISHERS,
        uploads,
        ContentService.MAX_DOCUMENT_BYTES + MULTIPART_ENVELOPE_BYTES,
        ctx ->
            content
                .admitUpload(SessionGate.caller(ctx), Form.id(ctx))
                .onSuccess(ok -> ctx.next())
                .onFailure(ctx::fail),
        this::upload);
    routes.get("/sites/:id/documents/:docId", Access.readers(), this::download);
    routes.get("/sites/:id/documents/:docId/delete", PUBLISHERS, this::confirmDeleteDocument);
    routes.post("/sites/:id/documents/:docId/delete", PUBLISHERS, this::deleteDocument);
    routes.get("/sites/:id/content/:kind", Access.readers(), this::list);
    routes.get("/sites/:id/content/:kind/:slug", Access.readers(), this::entry);
    routes.post("/sites/:id/content/:kind/:slug", PUBLISHERS, this::save);
    routes.get("/sites/:id/content/:kind/:slug/delete", PUBLISHERS, this::confirmDelete);
    routes.post("/sites/:id/content/:kind/:slug/delete", PUBLISHERS, this::delete);
  }

  private static ContentKind kind(RoutingContext ctx) {
    return ContentKind.fromPath(ctx.pathParam("kind"));
  }

  private static boolean publisher(RoutingContext ctx) {
    Role role = SessionGate.caller(ctx).role();
    return role == Role.WEBMASTER || role == Role.INSTITUTION_ADMIN;
  }

  private Future<SiteView> site(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    UUID id = Form.id(ctx);
    return sites.get(caller.scope(), id);
  }

  /**
   * What every content page shows: the site, the kind, the tabs, and whether the visitor may write.
   */
  private Map<String, Object> base(RoutingContext ctx, SiteView site, String current) {
    Map<String, Object> model = new HashMap<>();
    model.put("site", site.toJson());
    model.put("canEdit", publisher(ctx) && !site.status().startsWith("DECOMMISSION"));
    model.put(
        "kinds",
        java.util.Arrays.stream(ContentKind.values())
            .map(k -> Map.of("kind", k.pathSegment(), "current", k.pathSegment().equals(current)))
            .toList());
    model.put("documentsCurrent", "documents".equals(current));
    return model;
  }

  private void list(RoutingContext ctx) {
    ContentKind kind = kind(ctx);
    var page = Paging.of(ctx, ContentService.ENTRY_CURSOR);
    site(ctx)
        .compose(
            site ->
                content
                    .list(SessionGate.caller(ctx), site.id(), kind, page)
                    .map(
                        answer -> {
                          Map<String, Object> model = base(ctx, site, kind.pathSegment());
                          model.putAll(Paging.model(ctx, answer, "entries"));
                          model.put("kind", kind.pathSegment());
                          String done = ctx.queryParams().get("done");
                          if (done != null && done.matches("saved|deleted")) {
                            model.put("notice", "content.done." + done);
                          }
                          return model;
                        }))
        .onSuccess(
            model ->
                views.send(ctx, 200, "content-list", "content.title." + kind.pathSegment(), model))
        .onFailure(ctx::fail);
  }

  /**
   * An entry's form (publishers) or its text (readers); {@code _new} is the form of a new entry.
   */
  private void entry(RoutingContext ctx) {
    ContentKind kind = kind(ctx);
    String slug = ctx.pathParam("slug");
    site(ctx)
        .compose(
            site -> {
              if (slug.equals(NEW)) {
                if (!publisher(ctx)) {
                  throw Problem.notFound("no page " + ctx.request().path());
                }
                return Future.succeededFuture(new Shown(site, values(null)));
              }
              return content
                  .get(SessionGate.caller(ctx), site.id(), kind, slug)
                  .map(item -> new Shown(site, values(item)));
            })
        .onSuccess(shown -> form(ctx, shown.site(), shown.values(), new FormErrors(), false, 200))
        .onFailure(ctx::fail);
  }

  private record Shown(SiteView site, Map<String, String> values) {}

  private static Map<String, String> values(ContentItem item) {
    Map<String, String> v = new HashMap<>();
    v.put("slug", item == null ? "" : item.slug());
    v.put("titleSw", item == null ? "" : item.title().sw());
    v.put("titleEn", item == null ? "" : item.title().en());
    v.put("bodySw", item == null ? "" : item.body().sw());
    v.put("bodyEn", item == null ? "" : item.body().en());
    v.put(
        "publishedAt",
        item == null || item.publishedAt() == null ? "" : item.publishedAt().toString());
    return v;
  }

  private static Map<String, String> submitted(RoutingContext ctx) {
    Map<String, String> v = new HashMap<>();
    for (String field : FIELDS) {
      v.put(
          field,
          field.startsWith("body")
              ? Form.raw(ctx, field).replace("\r\n", "\n")
              : Form.value(ctx, field));
    }
    if (!NEW.equals(ctx.pathParam("slug"))) {
      v.put("slug", ctx.pathParam("slug"));
    }
    return v;
  }

  private void form(
      RoutingContext ctx,
      SiteView site,
      Map<String, String> values,
      FormErrors errors,
      boolean preview,
      int status) {
    ContentKind kind = kind(ctx);
    boolean isNew = NEW.equals(ctx.pathParam("slug"));
    Map<String, Object> model = base(ctx, site, kind.pathSegment());
    model.put("kind", kind.pathSegment());
    model.put("isNew", isNew);
    model.put(
        "action",
        "/sites/" + site.id() + "/content/" + kind.pathSegment() + "/" + ctx.pathParam("slug"));
    model.put("values", values);
    model.put("previewSw", ContentService.previewHtml(values.get("bodySw")));
    model.put("previewEn", ContentService.previewHtml(values.get("bodyEn")));
    model.put("preview", preview);
    model.putAll(errors.model());
    views.send(ctx, status, "content-form", "content.entry." + kind.pathSegment(), model);
  }

  /**
   * "Preview" shows the bodies as the site will; "Save" writes the entry through ContentService.
   */
  private void save(RoutingContext ctx) {
    ContentKind kind = kind(ctx);
    Caller caller = SessionGate.caller(ctx);
    Map<String, String> values = submitted(ctx);
    boolean isNew = NEW.equals(ctx.pathParam("slug"));
    String lang = ConsoleLanguage.of(ctx);
    site(ctx)
        .onSuccess(
            site -> {
              if ("preview".equals(Form.value(ctx, "action"))) {
                form(ctx, site, values, new FormErrors(), true, 200);
                return;
              }
              JsonObject body =
                  new JsonObject()
                      .put(
                          "title",
                          new JsonObject()
                              .put("sw", values.get("titleSw"))
                              .put("en", values.get("titleEn")))
                      .put(
                          "body",
                          new JsonObject()
                              .put("sw", values.get("bodySw"))
                              .put("en", values.get("bodyEn")));
              if (!values.get("publishedAt").isEmpty()) {
                body.put("publishedAt", values.get("publishedAt"));
              }
              Problem refused = contract.check("putSiteContent", body);
              FormErrors errors = refused == null ? new FormErrors() : errors(refused, lang);
              if (isNew && values.get("slug").isEmpty()) {
                errors.add("slug", views.messages().text(lang, "error.field.slug"));
              }
              if (!errors.isEmpty()) {
                form(ctx, site, values, errors, false, 400);
                return;
              }
              var entry =
                  new ContentService.Entry(
                      new LocalizedText(values.get("titleSw"), values.get("titleEn")),
                      new LocalizedText(values.get("bodySw"), values.get("bodyEn")),
                      body.getString("publishedAt"));
              Calls.attempt(
                      () ->
                          (isNew
                                  ? taken(caller, site, kind, values.get("slug"))
                                  : Future.<Void>succeededFuture())
                              .compose(
                                  v ->
                                      content.put(
                                          caller,
                                          site.id(),
                                          kind,
                                          values.get("slug"),
                                          entry,
                                          Respond.requestId(ctx))))
                  .onSuccess(
                      w ->
                          Views.redirect(
                              ctx,
                              "/sites/"
                                  + site.id()
                                  + "/content/"
                                  + kind.pathSegment()
                                  + "?done=saved"))
                  .onFailure(
                      Calls.onProblem(
                          ctx, p -> form(ctx, site, values, errors(p, lang), false, p.status())));
            })
        .onFailure(ctx::fail);
  }

  /** A new entry may not silently replace one of the same slug: that is a 409 on the slug. */
  private Future<Void> taken(Caller caller, SiteView site, ContentKind kind, String slug) {
    return content
        .get(caller, site.id(), kind, slug)
        .<Void>map(
            existing -> {
              throw DomainError.conflict(
                  "content-slug-taken", "slug", "An entry " + slug + " exists already");
            })
        .recover(
            f ->
                f instanceof DomainError.NotFound
                    ? Future.succeededFuture()
                    : Future.failedFuture(f));
  }

  /**
   * The API's field names (title.sw…) as this form's (titleSw…), with words in the page's language.
   */
  private FormErrors errors(Problem problem, String lang) {
    FormErrors errors = new FormErrors();
    if (problem.code() != null) {
      // a conflict with the site itself (being decommissioned...) names no field: the title's
      String named = problem.conflictField();
      String field = named != null && FIELDS.contains(named) ? named : "titleSw";
      return errors.add(field, FormErrors.conflict(views.messages(), lang, problem.code()));
    }
    for (FieldError e : problem.errors()) {
      String api = e.field();
      String field = api.replace(".sw", "Sw").replace(".en", "En");
      if (!FIELDS.contains(field)) {
        field = api.startsWith("title") ? "titleSw" : api.startsWith("body") ? "bodySw" : "titleSw";
      }
      errors.add(field, views.messages().text(lang, "error.field." + field));
    }
    if (errors.isEmpty()) {
      errors.add("titleSw", views.messages().text(lang, "error.field.other"));
    }
    return errors;
  }

  private void confirmDelete(RoutingContext ctx) {
    ContentKind kind = kind(ctx);
    site(ctx)
        .compose(
            site ->
                content
                    .get(SessionGate.caller(ctx), site.id(), kind, ctx.pathParam("slug"))
                    .map(
                        item -> {
                          Map<String, Object> model = base(ctx, site, kind.pathSegment());
                          model.put("kind", kind.pathSegment());
                          model.put("entry", item.toJson());
                          return model;
                        }))
        .onSuccess(model -> views.send(ctx, 200, "content-delete", "content.delete.title", model))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    ContentKind kind = kind(ctx);
    UUID id = Form.id(ctx);
    Calls.attempt(
            () ->
                content.delete(
                    SessionGate.caller(ctx),
                    id,
                    kind,
                    ctx.pathParam("slug"),
                    Respond.requestId(ctx)))
        .onSuccess(
            v ->
                Views.redirect(
                    ctx, "/sites/" + id + "/content/" + kind.pathSegment() + "?done=deleted"))
        .onFailure(
            Calls.onProblem(
                ctx, p -> Views.redirect(ctx, "/sites/" + id + "/content/" + kind.pathSegment())));
  }

  private void documents(RoutingContext ctx, FormErrors errors, String title, int status) {
    var page = Paging.of(ctx, ContentService.DOCUMENT_CURSOR);
    site(ctx)
        .compose(
            site ->
                content
                    .listDocuments(SessionGate.caller(ctx), site.id(), page)
                    .map(
                        answer -> {
                          Map<String, Object> model = base(ctx, site, "documents");
                          model.putAll(Paging.model(ctx, answer, "documents"));
                          model.putAll(errors.model());
                          model.put("documentTitle", title);
                          String done = ctx.queryParams().get("done");
                          if (done != null && done.matches("uploaded|deleted")) {
                            model.put("notice", "documents.done." + done);
                          }
                          return model;
                        }))
        .onSuccess(model -> views.send(ctx, status, "documents", "documents.title", model))
        .onFailure(ctx::fail);
  }

  private static UUID documentId(RoutingContext ctx) {
    return Form.id(ctx, "docId");
  }

  /** The PDF as uploaded, to save: the same attachment headers as the API's download. */
  private void download(RoutingContext ctx) {
    content
        .download(SessionGate.caller(ctx), Form.id(ctx), documentId(ctx))
        .onSuccess(
            f -> Respond.attachment(ctx, f.document().fileName(), "application/pdf", f.bytes()))
        .onFailure(ctx::fail);
  }

  /** The question before a document is deleted: a plain form, so it works without a script. */
  private void confirmDeleteDocument(RoutingContext ctx) {
    UUID documentId = documentId(ctx);
    site(ctx)
        .compose(
            site ->
                content
                    .document(SessionGate.caller(ctx), site.id(), documentId)
                    .map(
                        document -> {
                          Map<String, Object> model = base(ctx, site, "documents");
                          model.put("document", document.toJson());
                          return model;
                        }))
        .onSuccess(
            model -> views.send(ctx, 200, "document-delete", "documents.delete.title", model))
        .onFailure(ctx::fail);
  }

  private void deleteDocument(RoutingContext ctx) {
    UUID id = Form.id(ctx);
    String list = "/sites/" + id + "/documents";
    Calls.attempt(
            () ->
                content.deleteDocument(
                    SessionGate.caller(ctx), id, documentId(ctx), Respond.requestId(ctx)))
        .onSuccess(v -> Views.redirect(ctx, list + "?done=deleted"))
        .onFailure(Calls.onProblem(ctx, p -> Views.redirect(ctx, list)));
  }

  /** One PDF from the form's multipart body; what ContentService refuses is shown on the form. */
  private void upload(RoutingContext ctx) {
    UUID id = Form.id(ctx);
    String lang = ConsoleLanguage.of(ctx);
    String title = Form.value(ctx, "title");
    List<FileUpload> files =
        !ctx.request().isExpectMultipart()
            ? List.of()
            : ctx.fileUploads().stream()
                .filter(f -> "file".equals(f.name()) && !f.fileName().isEmpty())
                .toList();
    if (files.size() != 1) {
      documents(
          ctx,
          new FormErrors().add("file", views.messages().text(lang, "documents.error.noFile")),
          title,
          400);
      return;
    }
    FileUpload file = files.get(0);
    var upload =
        new ContentService.Upload(
            file.fileName(),
            file.size(),
            title,
            () -> ctx.vertx().fileSystem().readFile(file.uploadedFileName()));
    Calls.attempt(() -> content.upload(SessionGate.caller(ctx), id, upload, Respond.requestId(ctx)))
        .onSuccess(d -> Views.redirect(ctx, "/sites/" + id + "/documents?done=uploaded"))
        .onFailure(
            f -> {
              Problem refused = Calls.problem(f);
              if (refused != null && (refused.status() == 400 || refused.status() == 413)) {
                documents(ctx, uploadErrors(refused, lang), title, refused.status());
              } else {
                Calls.onProblem(ctx, p -> documents(ctx, uploadErrors(p, lang), title, p.status()))
                    .handle(f);
              }
            });
  }

  private FormErrors uploadErrors(Problem p, String lang) {
    if (p.status() == 413) {
      return new FormErrors().add("file", views.messages().text(lang, "documents.error.tooLarge"));
    }
    FormErrors errors = new FormErrors();
    for (FieldError e : p.errors()) {
      if ("title".equals(e.field())) {
        errors.add("title", views.messages().text(lang, "documents.error.title"));
      } else {
        errors.add(
            "file",
            views
                .messages()
                .text(
                    lang,
                    e.message() != null && e.message().contains("PDF")
                        ? "documents.error.notPdf"
                        : "documents.error.fileName"));
      }
    }
    if (errors.isEmpty()) {
      errors.add(
          "file",
          p.code() != null
              ? FormErrors.conflict(views.messages(), lang, p.code())
              : views.messages().text(lang, "documents.error.notPdf"));
    }
    return errors;
  }
}
