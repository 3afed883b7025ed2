package io.wingu.controlplane.sites;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.HttpApi;
import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditedDatabase;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Scope;
import io.wingu.controlplane.provisioning.BundleTokens;
import io.wingu.templates.Language;
import io.wingu.templates.catalog.Template;
import io.wingu.templates.catalog.ValidationError;
import io.wingu.templates.check.AccessibilityCheck;
import io.wingu.templates.content.ContentJson;
import io.wingu.templates.content.FileSource;
import io.wingu.templates.content.SiteContent;
import io.wingu.templates.render.Bundle;
import io.wingu.templates.render.InvalidParametersException;
import io.wingu.templates.render.SiteRenderer;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

/**
 * Deployments: render a site from a template, its parameters and content into an immutable,
 * content-addressed bundle, record it as the site's next revision, roll back to an earlier one,
 * preview a revision, and hand bundles to the sites' init containers. Knows nothing of HTTP.
 */
public final class DeploymentService {

  /**
   * What a deployment asks for; {@code content} adds to (and overrides) the site's stored content.
   */
  public record Deploy(String templateId, JsonNode parameters, JsonNode content) {}

  /** Revisions are listed newest first: a cursor names the last revision seen. */
  public static final Cursor.Shape CURSOR = Cursor.Shape.of(Cursor.Part.count("revision"));

  private final AuditedDatabase db;
  private final SiteStore sites = new SiteStore();
  private final SiteContentStore content = new SiteContentStore();
  private final DeploymentStore deployments = new DeploymentStore();
  private final Blobs blobs;
  private final SiteTemplates templates;
  private final WorkerExecutor renderers;
  private final Consumer<UUID> siteChanged;
  private final TemplateVersions versions;

  public DeploymentService(
      AuditedDatabase db,
      Blobs blobs,
      SiteTemplates templates,
      WorkerExecutor renderers,
      Consumer<UUID> siteChanged) {
    this.db = db;
    this.blobs = blobs;
    this.templates = templates;
    this.renderers = renderers;
    this.siteChanged = siteChanged;
    this.versions = new TemplateVersions(templates);
  }

  /**
   * Validates, renders (on the render workers, outside any transaction), then stores the bundle
   * once by digest and records the next revision as the current one, in one transaction.
   */
  public Future<Revision> deploy(Caller caller, UUID siteId, Deploy d, String httpRequestId) {
    Template template =
        templates
            .find(d.templateId())
            .orElseThrow(
                () ->
                    DomainError.invalid(
                        "No template '" + d.templateId() + "'",
                        List.of(new FieldError("templateId", "no such template"))));
    List<ValidationError> invalid = template.validate(d.parameters());
    if (!invalid.isEmpty()) {
      throw parametersRefused(invalid);
    }
    SiteContent given = readContent(d.content());
    return build(
        caller,
        siteId,
        new Build(template, d.parameters(), "site.deploy", null),
        (h, site) -> SiteContents.merge(content.siteContent(h, site.id()), given),
        httpRequestId);
  }

  /**
   * Moves the site to the catalogue's newest version of the template its current revision uses: a
   * new revision from that revision's parameters and content. 409 when nothing is deployed or the
   * site already runs the newest version; 400 naming each parameter the new version refuses.
   */
  public Future<Revision> upgrade(Caller caller, UUID siteId, String httpRequestId) {
    return db.withHandle(
            h -> {
              SiteView site = sites.findChangeable(h, caller.scope(), siteId, false);
              if (site.currentRevision() == null) {
                throw DomainError.conflict(
                    "nothing-deployed",
                    null,
                    "The site has no revision deployed yet: there is nothing to upgrade");
              }
              return new Current(
                  site, deployments.source(h, siteId, site.currentRevision()).orElseThrow());
            })
        .compose(
            now -> {
              Template template =
                  templates
                      .find(now.source().templateId())
                      .orElseThrow(
                          () ->
                              DomainError.conflict(
                                  "template-withdrawn",
                                  null,
                                  "The template '"
                                      + now.source().templateId()
                                      + "' is no longer in the catalogue"));
              if (!versions.outdated(template.id(), now.site().templateVersion())) {
                throw DomainError.conflict(
                    "template-up-to-date",
                    null,
                    "The site already runs "
                        + template.id()
                        + " "
                        + now.site().templateVersion()
                        + ", the catalogue's newest version");
              }
              JsonNode parameters = SiteTemplates.jackson(now.source().parametersJson());
              List<ValidationError> invalid = template.validate(parameters);
              if (!invalid.isEmpty()) {
                throw parametersRefused(invalid);
              }
              SiteContent stored = readContent(SiteTemplates.jackson(now.source().contentJson()));
              return build(
                  caller,
                  siteId,
                  new Build(template, parameters, "site.upgrade", now.site().currentRevision()),
                  (h, site) -> stored,
                  httpRequestId);
            });
  }

  /** The site and the source of its current revision. */
  private record Current(SiteView site, Revision.Source source) {}

  /**
   * What a new revision is made of; {@code expectedRevision}, when set, is the revision the site
   * must still point at when the new one is recorded (else 409: someone deployed meanwhile).
   */
  private record Build(
      Template template, JsonNode parameters, String action, Integer expectedRevision) {}

  /** The content a revision renders, read in the same transaction as the site. */
  @FunctionalInterface
  private interface ContentOf {
    SiteContent read(Handle h, SiteView site);
  }

  private Future<Revision> build(
      Caller caller, UUID siteId, Build b, ContentOf contentOf, String httpRequestId) {
    Scope scope = caller.scope();
    Template template = b.template();
    return db.withHandle(
            h -> {
              SiteView site = sites.findChangeable(h, scope, siteId, false);
              return new Inputs(site, contentOf.read(h, site));
            })
        .compose(
            in ->
                render(
                    () -> {
                      Bundle bundle =
                          SiteRenderer.render(
                              template,
                              b.parameters(),
                              in.content(),
                              files(siteId),
                              java.net.URI.create("https://" + in.site().hostnames().get(0) + "/"));
                      return new Rendered(in, bundle, AccessibilityCheck.check(bundle));
                    }))
        .compose(
            r ->
                db.inTransaction(
                    h -> {
                      SiteView before = sites.findChangeable(h, scope, siteId, true);
                      if (b.expectedRevision() != null
                          && !b.expectedRevision().equals(before.currentRevision())) {
                        throw DomainError.conflict(
                            "stale-revision",
                            null,
                            "The site's current revision changed meanwhile; look at it again");
                      }
                      Instant now = now();
                      byte[] bytes = r.bundle().toTarGz();
                      String digest = r.bundle().digest();
                      blobs.putOnce(h, digest, bytes, now);
                      Revision revision =
                          new Revision(
                              deployments.nextRevision(h, siteId),
                              digest,
                              template.id(),
                              template.version(),
                              now,
                              caller.username());
                      deployments.insert(
                          h,
                          siteId,
                          revision,
                          b.parameters().toString(),
                          ContentJson.write(r.inputs().content()).toString());
                      deployments.setCurrent(h, siteId, revision, now);
                      deployments.recordCheck(h, siteId, revision.revision(), r.findings(), now);
                      db.audit(
                          h,
                          new AuditEntry(
                              caller.username(),
                              b.action(),
                              target(before),
                              before.institutionId(),
                              httpRequestId,
                              pointer(before),
                              revision.toJson(revision.revision())));
                      return revision;
                    }))
        .onSuccess(r -> siteChanged.accept(siteId));
  }

  private record Inputs(SiteView site, SiteContent content) {}

  private record Rendered(
      Inputs inputs, Bundle bundle, List<AccessibilityCheck.Finding> findings) {}

  /** Re-points the site at one of its revisions; nothing is rebuilt. */
  public Future<JsonObject> rollback(
      Caller caller, UUID siteId, int revision, String httpRequestId) {
    Scope scope = caller.scope();
    return db.inTransaction(
            h -> {
              SiteView before = sites.findChangeable(h, scope, siteId, true);
              Revision target =
                  deployments
                      .find(h, siteId, revision)
                      .orElseThrow(
                          () ->
                              DomainError.invalid(
                                  "The site has no revision " + revision,
                                  List.of(
                                      new FieldError(
                                          "revision", "no such revision of this site"))));
              deployments.setCurrent(h, siteId, target, now());
              db.audit(
                  h,
                  new AuditEntry(
                      caller.username(),
                      "site.rollback",
                      target(before),
                      before.institutionId(),
                      httpRequestId,
                      pointer(before),
                      target.toJson(target.revision())));
              return new JsonObject()
                  .put("currentRevision", target.revision())
                  .put("digest", target.digest());
            })
        .onSuccess(r -> siteChanged.accept(siteId));
  }

  /** A page of revisions newest first, with which one is current. */
  public Future<Listing> list(Caller caller, UUID siteId, Page page) {
    return db.withHandle(
        h -> {
          SiteView site =
              sites.find(h, caller.scope(), siteId, false).orElseThrow(() -> notFound(siteId));
          var revisions =
              page.listing(
                  deployments.list(h, siteId, Keyset.descending(page, "revision")),
                  r -> new JsonObject().put("revision", r.revision()));
          return new Listing(
              revisions.items(),
              revisions.nextCursor(),
              site.currentRevision(),
              deployments.checks(h, siteId, revisions.items()));
        });
  }

  /**
   * A page of revisions (and the cursor of the next, null on the last), the site's current
   * revision, and the accessibility check of each revision built since the check exists.
   */
  public record Listing(
      List<Revision> revisions,
      String nextCursor,
      Integer currentRevision,
      Map<Integer, JsonObject> checks) {

    /** The API's answer: the revisions and the next page's cursor. */
    public JsonObject toJson() {
      return new io.wingu.controlplane.app.Listing<>(revisions, nextCursor).toJson(this::toJson);
    }

    /**
     * A revision as the API and the console show it, with its accessibility check when it has one.
     */
    public JsonObject toJson(Revision r) {
      JsonObject json = r.toJson(currentRevision);
      JsonObject check = checks.get(r.revision());
      if (check != null) {
        json.put("accessibility", check);
      }
      return json;
    }
  }

  /**
   * The parameters (JSON text) a revision of the site was deployed with, when the caller may see
   * the site.
   */
  public Future<Optional<String>> parametersOf(Caller caller, UUID siteId, int revision) {
    return db.withHandle(
        h -> {
          if (sites.find(h, caller.scope(), siteId, false).isEmpty()) {
            throw notFound(siteId);
          }
          return deployments.source(h, siteId, revision).map(Revision.Source::parametersJson);
        });
  }

  /**
   * The home page of a revision (the current one when {@code revision} is null), rendered again
   * from its source.
   */
  public Future<String> preview(Caller caller, UUID siteId, Integer revision) {
    return db.withHandle(
            h -> {
              SiteView site =
                  sites.find(h, caller.scope(), siteId, false).orElseThrow(() -> notFound(siteId));
              Integer which = revision != null ? revision : site.currentRevision();
              if (which == null) {
                throw DomainError.notFound("The site has no revision deployed yet");
              }
              return deployments
                  .source(h, siteId, which)
                  .orElseThrow(() -> DomainError.notFound("The site has no revision " + which));
            })
        .compose(
            source ->
                render(
                    () -> {
                      Template template =
                          templates
                              .find(source.templateId())
                              .orElseThrow(
                                  () ->
                                      DomainError.conflict(
                                          "template-withdrawn",
                                          null,
                                          "The revision's template '"
                                              + source.templateId()
                                              + "' is no longer in the catalogue"));
                      JsonNode parameters = SiteTemplates.jackson(source.parametersJson());
                      SiteContent stored =
                          ContentJson.read(SiteTemplates.jackson(source.contentJson()));
                      Language language =
                          Language.fromCode(parameters.path("defaultLanguage").asText("sw"));
                      return SiteRenderer.renderPage(
                          template, parameters, stored, language, "index.html", files(siteId));
                    }));
  }

  /** A bundle for an init container: only the requesting site's own token opens it. */
  public Future<Optional<byte[]>> bundle(String token, String digest) {
    if (token == null || token.isBlank()) {
      return Future.succeededFuture(Optional.empty());
    }
    return db.withHandle(h -> deployments.bundle(h, BundleTokens.hash(token.strip()), digest));
  }

  /** Uploaded files come from the site's own documents; a digest it never uploaded is not found. */
  private FileSource files(UUID siteId) {
    return digest -> {
      Optional<byte[]> bytes;
      try {
        bytes = db.database().jdbi().withHandle(h -> content.uploadedFile(h, siteId, digest));
      } catch (JdbiException e) {
        throw new java.io.IOException(
            "cannot read uploaded file " + digest + ": " + e.getMessage(), e);
      }
      return bytes.orElseThrow(
          () -> new FileNotFoundException("the site has no uploaded file " + digest));
    };
  }

  /**
   * Rendering is CPU work: it runs on its own workers, and what the input refuses becomes a 400.
   */
  private <T> Future<T> render(Callable<T> work) {
    return renderers.executeBlocking(
        () -> {
          try {
            return work.call();
          } catch (InvalidParametersException e) {
            throw parametersRefused(e.errors());
          } catch (UncheckedIOException e) {
            if (e.getCause() instanceof FileNotFoundException missing) {
              throw DomainError.invalid(
                  "The site refers to a file it never uploaded",
                  List.of(new FieldError("parameters", missing.getMessage())));
            }
            throw e;
          } catch (IllegalArgumentException e) {
            throw DomainError.invalid(
                "The site cannot be rendered: " + e.getMessage(),
                List.of(new FieldError("content", e.getMessage())));
          }
        },
        false);
  }

  static SiteContent readContent(JsonNode json) {
    try {
      return ContentJson.read(json);
    } catch (IllegalArgumentException e) {
      throw DomainError.invalid(
          "The content is not valid: " + e.getMessage(),
          List.of(new FieldError("content", e.getMessage())));
    }
  }

  /**
   * Template errors name fields as JSON pointers; the API names them as dotted paths under
   * "parameters".
   */
  static DomainError.Invalid parametersRefused(List<ValidationError> errors) {
    return DomainError.invalid(
        "The parameters do not fit the template",
        errors.stream()
            .map(
                e ->
                    new FieldError(
                        e.field().isEmpty()
                            ? "parameters"
                            : "parameters." + HttpApi.field(e.field()),
                        e.message()))
            .toList());
  }

  private static JsonObject pointer(SiteView site) {
    return new JsonObject()
        .put("currentRevision", site.currentRevision())
        .put("templateId", site.templateId())
        .put("templateVersion", site.templateVersion());
  }

  static String target(SiteView site) {
    return "site/" + site.namespace() + "/" + site.name();
  }

  static DomainError notFound(UUID id) {
    return DomainError.notFound("No site " + id);
  }

  private Instant now() {
    return db.now();
  }
}
