package io.wingu.controlplane.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.sites.ContentService;
import io.wingu.controlplane.sites.DeploymentService;
import io.wingu.controlplane.sites.ParameterDraft;
import io.wingu.controlplane.sites.Revision;
import io.wingu.controlplane.sites.SiteImages;
import io.wingu.controlplane.sites.SiteListing;
import io.wingu.controlplane.sites.SiteView;
import io.wingu.templates.catalog.Template;
import io.wingu.templates.catalog.ValidationError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webmaster's publishing. The template's parameters are answered section by section
 * (institution, head of institution, contacts, services, menu, departments), each saved as the
 * site's draft; the overview says what is still missing, in the page's language and by the form's
 * own labels, and publishes the draft once nothing is. Fields start empty or with the institution's
 * own answers: the template's example is only each field's placeholder, and a value left equal to
 * it is not published. Lists have add, remove and move buttons (plain submit buttons: the pages
 * need no script). DeploymentService does the publishing (validation, rendering, revisions, audit);
 * ContentService keeps the draft and the head's photo.
 */
record DeployPages(
    SiteListing sites,
    DeploymentService deployments,
    ContentService content,
    TemplateChoices templates,
    Views views,
    Path uploads) {

  private static final Logger LOG = LoggerFactory.getLogger(DeployPages.class);
  private static final Access PUBLISHERS = Access.roles(Role.WEBMASTER, Role.INSTITUTION_ADMIN);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Room for the text fields around the photo in the head section's multipart form. */
  private static final long MULTIPART_BYTES = 4 * SiteImages.MAX_BYTES;

  /** A part of the form; properties the template does not have are skipped. */
  record Section(String id, List<String> properties) {}

  /** The sections in order; a property none names goes to the first. */
  static final List<Section> SECTIONS =
      List.of(
          new Section("institution", List.of("institution", "palette", "defaultLanguage")),
          new Section("head", List.of("head")),
          new Section("contacts", List.of("contacts")),
          new Section("services", List.of("services")),
          new Section("menu", List.of("menu")),
          new Section("departments", List.of("departments", "districts")));

  void addTo(Router router, SessionGate gate) {
    GatedRouter routes = new GatedRouter(router, gate);
    routes.get("/sites/:id/deploy", PUBLISHERS, this::show);
    routes.post("/sites/:id/deploy", PUBLISHERS, this::publish);
    routes.get("/sites/:id/deploy/:section", PUBLISHERS, this::showSection);
    // the head's section sends its photo as multipart
    routes.postUpload(
        "/sites/:id/deploy/:section",
        PUBLISHERS,
        uploads,
        MULTIPART_BYTES,
        RoutingContext::next,
        this::saveSection);
    routes.get("/sites/:id/images/:digest", Access.readers(), this::image);
    routes.post("/sites/:id/rollback", PUBLISHERS, this::rollback);
    routes.get("/sites/:id/preview", Access.readers(), this::preview);
  }

  /** The site, its revisions, the template answered and the answers so far. */
  private record Current(
      SiteView site, DeploymentService.Listing listing, Template template, ObjectNode values) {

    SchemaForm form(java.util.function.Function<String, String> labels) {
      return new SchemaForm(template.parametersSchema(), labels);
    }
  }

  /**
   * Loads the path's site as the caller deploys it, on the template {@code asked}, then hands it
   * on; a failure to load shows the error page.
   */
  private void withCurrent(RoutingContext ctx, String asked, Handler<Current> then) {
    current(SessionGate.caller(ctx), Form.id(ctx), asked).onSuccess(then).onFailure(ctx::fail);
  }

  private Future<Current> current(Caller caller, UUID siteId, String asked) {
    return deployments
        .list(caller, siteId, new Page(50, Optional.empty(), DeploymentService.CURSOR))
        .compose(
            listing ->
                sites
                    .get(caller.scope(), siteId)
                    .compose(
                        site ->
                            content
                                .draft(caller, siteId)
                                .compose(draft -> current(caller, site, listing, draft, asked))));
  }

  private Future<Current> current(
      Caller caller,
      SiteView site,
      DeploymentService.Listing listing,
      Optional<ParameterDraft> draft,
      String asked) {
    Optional<Revision> latest =
        listing.revisions().stream()
            .filter(
                r -> listing.currentRevision() == null || r.revision() == listing.currentRevision())
            .findFirst();
    // a draft is the working copy unless a revision was published after it (through the API)
    Optional<ParameterDraft> working =
        draft.filter(d -> latest.isEmpty() || !latest.get().createdAt().isAfter(d.updatedAt()));
    String templateId =
        valid(asked)
            .or(() -> working.map(ParameterDraft::templateId).flatMap(this::valid))
            .or(() -> latest.map(Revision::templateId).flatMap(this::valid))
            .or(() -> valid(site.templateId()))
            .orElseGet(this::firstTemplate);
    Template template = templates.templates().find(templateId).orElseThrow();
    if (working.isPresent()) {
      return Future.succeededFuture(
          new Current(
              site, listing, template, fitted(template, parse(working.get().parameters()))));
    }
    if (latest.isPresent()) {
      return deployments
          .parametersOf(caller, site.id(), latest.get().revision())
          .map(
              stored ->
                  new Current(
                      site,
                      listing,
                      template,
                      fitted(template, stored.map(DeployPages::parse).orElse(null))));
    }
    return Future.succeededFuture(
        new Current(site, listing, template, JsonNodeFactory.instance.objectNode()));
  }

  private Optional<String> valid(String templateId) {
    return templateId != null && templates.templates().exists(templateId)
        ? Optional.of(templateId)
        : Optional.empty();
  }

  /** {@code values} without the properties {@code template} does not have (after a switch). */
  private static ObjectNode fitted(Template template, JsonNode values) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    if (values != null && values.isObject()) {
      JsonNode properties = template.parametersSchema().path("properties");
      values
          .fields()
          .forEachRemaining(
              e -> {
                if (properties.has(e.getKey())) {
                  out.set(e.getKey(), e.getValue().deepCopy());
                }
              });
    }
    return out;
  }

  private String firstTemplate() {
    return String.valueOf(templates.choices("en", "").get(0).get("id"));
  }

  /** The sections the template has, each with the properties it shows. */
  private static List<Section> sections(Template template) {
    List<String> all = new ArrayList<>();
    template.parametersSchema().path("properties").fieldNames().forEachRemaining(all::add);
    List<Section> out = new ArrayList<>();
    for (Section s : SECTIONS) {
      List<String> mine = new ArrayList<>(s.properties().stream().filter(all::contains).toList());
      if (s == SECTIONS.get(0)) {
        all.stream()
            .filter(p -> SECTIONS.stream().noneMatch(x -> x.properties().contains(p)))
            .forEach(mine::add);
      }
      if (!mine.isEmpty()) {
        out.add(new Section(s.id(), List.copyOf(mine)));
      }
    }
    return out;
  }

  private static Optional<Section> section(Template template, String id) {
    return sections(template).stream().filter(s -> s.id().equals(id)).findFirst();
  }

  private static Section sectionOf(Template template, String property) {
    List<Section> all = sections(template);
    return all.stream()
        .filter(s -> s.properties().contains(property))
        .findFirst()
        .orElse(all.get(0));
  }

  private String label(String lang, String key) {
    String full = "param." + key;
    return views.messages().has(full) ? views.messages().text(lang, full) : null;
  }

  /** One thing still missing or wrong: the field's form name, its section and the sentence. */
  record Missing(String section, String field, String message) {}

  /**
   * What stops {@code values} from being published, in the order of the sections and their fields:
   * the template's verdict, each error a sentence naming its field, and every text still equal to
   * the template's example.
   */
  private List<Missing> missing(String lang, Current now, JsonNode values) {
    SchemaForm form = now.form(key -> label(lang, key));
    Map<String, List<SchemaForm.Row>> rowsBySection = new LinkedHashMap<>();
    for (Section s : sections(now.template())) {
      rowsBySection.put(s.id(), form.rows(values, now.template().example(), s.properties()));
    }
    Map<String, Missing> byField = new LinkedHashMap<>();
    for (ValidationError e : now.template().validate(values)) {
      String path = dotted(e.field());
      String property = path.isEmpty() ? "" : path.split("[.\\[]")[0];
      Section section = sectionOf(now.template(), property);
      List<SchemaForm.Row> rows =
          rowsBySection.getOrDefault(section.id(), List.of()).stream()
              .filter(r -> !r.heading())
              .toList();
      Optional<SchemaForm.Row> row =
          rows.stream()
              .filter(r -> r.name().equals(path))
              .findFirst()
              .or(
                  () ->
                      rows.stream()
                          .filter(
                              r ->
                                  r.name().startsWith(path + ".")
                                      || r.name().startsWith(path + "["))
                          .findFirst());
      if (row.isPresent()) {
        byField.putIfAbsent(
            row.get().name(),
            new Missing(section.id(), row.get().name(), sentence(lang, row.get())));
      } else {
        String word =
            property.isEmpty() ? "" : Optional.ofNullable(label(lang, property)).orElse(property);
        byField.putIfAbsent(
            path,
            new Missing(
                section.id(),
                null,
                views.messages().text(lang, "deploy.error.other", word, lower(word), "")));
      }
    }
    rowsBySection.forEach(
        (section, rows) ->
            rows.stream()
                .filter(r -> r.kind().equals("text") || r.kind().equals("textarea"))
                .filter(r -> !r.value().isEmpty() && r.value().equals(r.sample()))
                .forEach(
                    r ->
                        byField.putIfAbsent(
                            r.name(),
                            new Missing(
                                section,
                                r.name(),
                                views
                                    .messages()
                                    .text(
                                        lang,
                                        "deploy.error.sample",
                                        r.label(),
                                        lower(r.label()),
                                        "")))));
    List<Missing> ordered = new ArrayList<>();
    for (Map.Entry<String, List<SchemaForm.Row>> entry : rowsBySection.entrySet()) {
      for (SchemaForm.Row r : entry.getValue()) {
        Missing m = byField.remove(r.name());
        if (m != null) {
          ordered.add(m);
        }
      }
      byField.values().stream()
          .filter(m -> m.section().equals(entry.getKey()))
          .forEach(ordered::add);
      byField.values().removeIf(m -> m.section().equals(entry.getKey()));
    }
    ordered.addAll(byField.values());
    return ordered;
  }

  /** What is wrong with a field's value, in a sentence naming it by its label. */
  private String sentence(String lang, SchemaForm.Row row) {
    String value = row.value();
    JsonNode schema = row.schema() == null ? JsonNodeFactory.instance.objectNode() : row.schema();
    String key;
    String limit = "";
    if (value.isEmpty()) {
      key =
          row.kind().equals("select")
              ? "deploy.error.choose"
              : row.kind().equals("image") ? "deploy.error.picture" : "deploy.error.required";
    } else if (schema.has("enum")) {
      key = "deploy.error.choose";
    } else if (schema.has("maxLength") && value.length() > schema.get("maxLength").asInt()) {
      key = "deploy.error.tooLong";
      limit = String.valueOf(schema.get("maxLength").asInt());
    } else if (schema.has("pattern") && !matches(schema.get("pattern").asText(), value)) {
      key = "deploy.error.invalid";
    } else {
      key = "deploy.error.other";
    }
    return views.messages().text(lang, key, row.label(), lower(row.label()), limit);
  }

  private static boolean matches(String pattern, String value) {
    try {
      return Pattern.compile(pattern).matcher(value).find();
    } catch (PatternSyntaxException e) {
      return true;
    }
  }

  /** A label within a sentence: "Barua pepe" as "barua pepe", an abbreviation kept. */
  private static String lower(String label) {
    if (label.length() > 1
        && Character.isUpperCase(label.charAt(0))
        && Character.isLowerCase(label.charAt(1))) {
      return label.substring(0, 1).toLowerCase(Locale.ROOT) + label.substring(1);
    }
    return label;
  }

  /**
   * A JSON pointer ({@code /services/0/title}) as the form's field path ({@code
   * services[0].title}).
   */
  static String dotted(String pointer) {
    StringBuilder out = new StringBuilder();
    for (String part : pointer.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      String token = part.replace("~1", "/").replace("~0", "~");
      if (token.matches("\\d+")) {
        out.append('[').append(token).append(']');
      } else {
        out.append(out.length() == 0 ? "" : ".").append(token);
      }
    }
    return out.toString();
  }

  private String href(UUID siteId, Missing m, String templateId) {
    return "/sites/"
        + siteId
        + "/deploy/"
        + m.section()
        + "?template="
        + templateId
        + (m.field() == null ? "" : "#" + SchemaForm.id(m.field()));
  }

  private void show(RoutingContext ctx) {
    withCurrent(
        ctx,
        ctx.queryParams().get("template"),
        now -> {
          Map<String, Object> model = new HashMap<>();
          String done = ctx.queryParams().get("done");
          if (done != null && done.matches("deployed|rolledBack|saved")) {
            model.put("notice", "deploy.done." + done);
          }
          sendOverview(ctx, now, List.of(), model, 200);
        });
  }

  /** The overview: the sections and what each still misses, the publish button, the revisions. */
  private void sendOverview(
      RoutingContext ctx,
      Current now,
      List<String> refusals,
      Map<String, Object> extra,
      int status) {
    String lang = ConsoleLanguage.of(ctx);
    UUID siteId = now.site().id();
    String templateId = now.template().id();
    List<Missing> missing = missing(lang, now, now.values());
    Map<String, Object> model = new HashMap<>(extra);
    model.put("site", now.site().toJson());
    model.put("templateId", templateId);
    model.put("templateName", templates.name(lang, templateId));
    model.put("templates", templates.choices(lang, templateId));
    List<Map<String, Object>> sectionModels = new ArrayList<>();
    int step = 1;
    for (Section s : sections(now.template())) {
      List<Map<String, String>> problems =
          missing.stream()
              .filter(m -> m.section().equals(s.id()))
              .map(m -> Map.of("href", href(siteId, m, templateId), "message", m.message()))
              .toList();
      Map<String, Object> sm = new LinkedHashMap<>();
      sm.put("id", s.id());
      sm.put("step", step++);
      sm.put("href", "/sites/" + siteId + "/deploy/" + s.id() + "?template=" + templateId);
      sm.put("complete", problems.isEmpty());
      sm.put("problems", problems);
      sectionModels.add(sm);
    }
    model.put("sections", sectionModels);
    model.put("missingCount", missing.size());
    model.put("ready", missing.isEmpty());
    if (!refusals.isEmpty() || status == 400) {
      List<Map<String, String>> errors = new ArrayList<>();
      missing.forEach(
          m -> errors.add(Map.of("href", href(siteId, m, templateId), "message", m.message())));
      refusals.forEach(r -> errors.add(Map.of("href", "#publish", "message", r)));
      model.put("errors", errors);
    }
    model.put(
        "revisions", now.listing().revisions().stream().map(r -> now.listing().toJson(r)).toList());
    views.send(ctx, status, "deploy", "deploy.title", model);
  }

  private void showSection(RoutingContext ctx) {
    withCurrent(
        ctx,
        ctx.queryParams().get("template"),
        now -> {
          Section section =
              section(now.template(), ctx.pathParam("section"))
                  .orElseThrow(() -> Problem.notFound("no section " + ctx.pathParam("section")));
          Map<String, Object> model = new HashMap<>();
          if ("saved".equals(ctx.queryParams().get("done"))) {
            model.put("notice", "deploy.done.saved");
          }
          sendSection(ctx, now, section, now.values(), false, model, 200);
        });
  }

  /**
   * A section's form for {@code values}; with {@code withErrors} each field the template refuses
   * shows why, and the summary lists them.
   */
  private void sendSection(
      RoutingContext ctx,
      Current now,
      Section section,
      JsonNode values,
      boolean withErrors,
      Map<String, Object> extra,
      int status) {
    String lang = ConsoleLanguage.of(ctx);
    SchemaForm form = now.form(key -> label(lang, key));
    Map<String, String> errors = new LinkedHashMap<>();
    if (withErrors) {
      missing(lang, now, values).stream()
          .filter(m -> m.section().equals(section.id()) && m.field() != null)
          .forEach(m -> errors.putIfAbsent(m.field(), m.message()));
    }
    @SuppressWarnings("unchecked")
    Map<String, String> extraErrors =
        (Map<String, String>) extra.getOrDefault("fieldErrors", Map.of());
    Map<String, String> all = new LinkedHashMap<>(extraErrors);
    errors.forEach(all::putIfAbsent);
    List<SchemaForm.Row> rows = form.rows(values, now.template().example(), section.properties());
    Map<String, Object> model = new HashMap<>(extra);
    model.put("site", now.site().toJson());
    model.put("templateId", now.template().id());
    model.put("templateName", templates.name(lang, now.template().id()));
    model.put("section", section.id());
    List<Section> sections = sections(now.template());
    int index =
        sections.indexOf(
            sections.stream().filter(s -> s.id().equals(section.id())).findFirst().orElseThrow());
    model.put("step", index + 1);
    model.put("steps", sections.size());
    model.put("multipart", rows.stream().anyMatch(r -> r.kind().equals("image")));
    model.put("rows", rows.stream().map(r -> r.model(all)).toList());
    if (!all.isEmpty()) {
      FormErrors summary = new FormErrors();
      rows.stream()
          .filter(r -> all.containsKey(r.name()))
          .forEach(r -> summary.add(SchemaForm.id(r.name()), all.get(r.name())));
      model.putAll(summary.model());
    }
    views.send(ctx, status, "deploy-section", "deploy.section." + section.id(), model);
  }

  private void saveSection(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    UUID siteId = Form.id(ctx);
    String lang = ConsoleLanguage.of(ctx);
    withCurrent(
        ctx,
        Form.value(ctx, "templateId"),
        now -> {
          Section section =
              section(now.template(), ctx.pathParam("section"))
                  .orElseThrow(() -> Problem.notFound("no section " + ctx.pathParam("section")));
          SchemaForm form = now.form(key -> label(lang, key));
          ObjectNode values = (ObjectNode) form.read(ctx, now.values(), section.properties());
          String op = Form.value(ctx, "op");
          boolean listOp = !op.isEmpty() && SchemaForm.applyListOp(values, op);
          List<SchemaForm.Row> images =
              form.rows(values, null, section.properties()).stream()
                  .filter(r -> r.kind().equals("image"))
                  .toList();
          pictures(ctx, caller, siteId, images, values)
              .onComplete(
                  pictured -> {
                    Map<String, String> pictureErrors =
                        pictured.succeeded()
                            ? Map.of()
                            : pictureErrors(ctx, pictured.cause(), images);
                    if (pictured.failed() && pictureErrors.isEmpty()) {
                      failedSave(ctx, now, section, values, pictured.cause());
                      return;
                    }
                    Calls.attempt(
                            () ->
                                content.saveDraft(
                                    caller, siteId, now.template().id(), values.toString()))
                        .onSuccess(
                            saved ->
                                afterSave(ctx, now, section, values, listOp, op, pictureErrors))
                        .onFailure(
                            Calls.onProblem(
                                ctx,
                                p ->
                                    sendSection(
                                        ctx,
                                        now,
                                        section,
                                        values,
                                        true,
                                        Map.of(
                                            "failure",
                                            FormErrors.conflict(views.messages(), lang, p.code())),
                                        p.status())));
                  });
        });
  }

  private void afterSave(
      RoutingContext ctx,
      Current now,
      Section section,
      ObjectNode values,
      boolean listOp,
      String op,
      Map<String, String> pictureErrors) {
    String base = "/sites/" + now.site().id() + "/deploy";
    String template = "?template=" + now.template().id();
    if (!pictureErrors.isEmpty()) {
      sendSection(ctx, now, section, values, true, Map.of("fieldErrors", pictureErrors), 400);
      return;
    }
    if (listOp) {
      String list = op.split(":")[1];
      Views.redirect(ctx, base + "/" + section.id() + template + "#" + SchemaForm.id(list));
      return;
    }
    boolean sectionMissing =
        missing(ConsoleLanguage.of(ctx), now, values).stream()
            .anyMatch(m -> m.section().equals(section.id()));
    if (sectionMissing) {
      sendSection(
          ctx, now, section, values, true, Map.of("notice", "deploy.done.savedWithErrors"), 400);
      return;
    }
    List<Section> all = sections(now.template());
    int index = all.indexOf(section);
    Views.redirect(
        ctx,
        index + 1 < all.size()
            ? base + "/" + all.get(index + 1).id() + template + "&done=saved"
            : base + template + "&done=saved");
  }

  /**
   * A server fault while saving: the section is shown again with everything as typed, and a
   * reference to quote, which the log line carries.
   */
  private void failedSave(
      RoutingContext ctx, Current now, Section section, JsonNode values, Throwable failure) {
    String reference = Respond.requestId(ctx);
    LOG.error(
        "saving section {} of site {} failed (reference {})",
        section.id(),
        now.site().id(),
        reference,
        failure);
    sendSection(
        ctx,
        now,
        section,
        values,
        false,
        Map.of(
            "failure",
            views.messages().text(ConsoleLanguage.of(ctx), "deploy.error.fault"),
            "reference",
            reference),
        500);
  }

  /**
   * Each picture field's new file (re-encoded and stored, then named in {@code values}) or its
   * removal; a field sent with no file keeps its picture.
   */
  private Future<Void> pictures(
      RoutingContext ctx,
      Caller caller,
      UUID siteId,
      List<SchemaForm.Row> images,
      ObjectNode values) {
    Future<Void> chain = Future.succeededFuture();
    for (SchemaForm.Row row : images) {
      if (!Form.value(ctx, "remove:" + row.name()).isEmpty()) {
        SchemaForm.set(values, row.name(), null);
        SchemaForm.keepItems(values);
        continue;
      }
      Optional<FileUpload> file =
          ctx.fileUploads().stream()
              .filter(f -> f.name().equals(row.name()) && f.size() > 0)
              .findFirst();
      if (file.isEmpty()) {
        continue;
      }
      chain =
          chain
              .compose(v -> ctx.vertx().fileSystem().readFile(file.get().uploadedFileName()))
              .compose(
                  bytes ->
                      Calls.attempt(
                          () ->
                              content.uploadImage(
                                  caller,
                                  siteId,
                                  bytes.getBytes(),
                                  row.name(),
                                  Respond.requestId(ctx))))
              .map(
                  image -> {
                    SchemaForm.set(values, row.name(), toNode(image.parameter()));
                    return null;
                  });
    }
    return chain;
  }

  /** A refused picture's error on its field, in the page's language; empty for a fault. */
  private Map<String, String> pictureErrors(
      RoutingContext ctx, Throwable failure, List<SchemaForm.Row> images) {
    Problem p = Calls.problem(failure);
    if (p == null || p.status() != 400 || images.isEmpty()) {
      return Map.of();
    }
    String lang = ConsoleLanguage.of(ctx);
    String code = p.errors().isEmpty() ? null : p.errors().get(0).code();
    String field = p.errors().isEmpty() ? images.get(0).name() : p.errors().get(0).field();
    String key =
        "image-too-large".equals(code) ? "deploy.error.imageTooLarge" : "deploy.error.imageType";
    return Map.of(field, views.messages().text(lang, key));
  }

  private static JsonNode toNode(JsonObject json) {
    return parse(json.encode());
  }

  private void publish(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    UUID siteId = Form.id(ctx);
    String lang = ConsoleLanguage.of(ctx);
    withCurrent(
        ctx,
        Form.value(ctx, "templateId"),
        now -> {
          if (!missing(lang, now, now.values()).isEmpty()) {
            sendOverview(ctx, now, List.of(), Map.of(), 400);
            return;
          }
          JsonNode parameters = now.values().deepCopy();
          SchemaForm.prune(parameters);
          Calls.attempt(
                  () ->
                      deployments.deploy(
                          caller,
                          siteId,
                          new DeploymentService.Deploy(now.template().id(), parameters, null),
                          Respond.requestId(ctx)))
              .onSuccess(
                  r ->
                      Views.redirect(
                          ctx,
                          "/sites/"
                              + siteId
                              + "/deploy?template="
                              + now.template().id()
                              + "&done=deployed"))
              .onFailure(
                  Calls.onProblem(
                      ctx, p -> sendOverview(ctx, now, refusals(lang, p), Map.of(), p.status())));
        });
  }

  /** Why publishing was refused where the form's own checks saw nothing: the service's words. */
  private List<String> refusals(String lang, Problem problem) {
    if (problem.code() != null) {
      return List.of(FormErrors.conflict(views.messages(), lang, problem.code()));
    }
    List<String> out = new ArrayList<>();
    problem
        .errors()
        .forEach(
            e ->
                out.add(
                    views
                        .messages()
                        .text(lang, "deploy.error.refused", e.field(), e.message(), "")));
    if (out.isEmpty()) {
      out.add(views.messages().text(lang, "deploy.error.refused", "", problem.getMessage(), ""));
    }
    return out;
  }

  private void image(RoutingContext ctx) {
    String digest = ctx.pathParam("digest");
    if (!digest.matches("[0-9a-f]{64}")) {
      throw Problem.notFound("no image " + digest);
    }
    content
        .image(SessionGate.caller(ctx), Form.id(ctx), digest)
        .onSuccess(
            bytes ->
                ctx.response()
                    .putHeader("Content-Type", "image/jpeg")
                    .putHeader("Cache-Control", "private, max-age=86400, immutable")
                    .end(io.vertx.core.buffer.Buffer.buffer(bytes)))
        .onFailure(ctx::fail);
  }

  private void rollback(RoutingContext ctx) {
    UUID siteId = Form.id(ctx);
    int revision;
    try {
      revision = Integer.parseInt(Form.value(ctx, "revision"));
    } catch (NumberFormatException e) {
      throw Problem.notFound("no revision " + Form.value(ctx, "revision"));
    }
    Calls.attempt(
            () ->
                deployments.rollback(
                    SessionGate.caller(ctx), siteId, revision, Respond.requestId(ctx)))
        .onSuccess(r -> Views.redirect(ctx, "/sites/" + siteId + "/deploy?done=rolledBack"))
        .onFailure(Calls.onProblem(ctx, p -> Views.redirect(ctx, "/sites/" + siteId + "/deploy")));
  }

  /** A revision's home page as it renders, shut in a sandbox: no script of it runs here. */
  private void preview(RoutingContext ctx) {
    String asked = ctx.queryParams().get("revision");
    Integer revision = asked == null || !asked.matches("\\d{1,9}") ? null : Integer.valueOf(asked);
    deployments
        .preview(SessionGate.caller(ctx), Form.id(ctx), revision)
        .onSuccess(
            html ->
                ctx.response()
                    .putHeader("Content-Type", "text/html; charset=utf-8")
                    .putHeader(
                        "Content-Security-Policy",
                        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:")
                    .end(html))
        .onFailure(ctx::fail);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
