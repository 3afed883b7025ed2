package io.wingu.controlplane.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.audit.AuditLog;
import io.wingu.controlplane.audit.AuditService;
import io.wingu.controlplane.auth.OidcSignIn;
import io.wingu.controlplane.auth.PasswordSignIn;
import io.wingu.controlplane.auth.TwoFactorService;
import io.wingu.controlplane.deploytokens.DeployTokenService;
import io.wingu.controlplane.directory.DirectoryService;
import io.wingu.controlplane.institutions.InstitutionService;
import io.wingu.controlplane.plans.PlanService;
import io.wingu.controlplane.requests.RequestService;
import io.wingu.controlplane.scorecard.ScorecardService;
import io.wingu.controlplane.sites.ContentService;
import io.wingu.controlplane.sites.DeploymentService;
import io.wingu.controlplane.sites.SiteLifecycle;
import io.wingu.controlplane.sites.SiteListing;
import io.wingu.controlplane.sites.SiteTemplates;
import io.wingu.controlplane.sites.TemplateVersions;
import io.wingu.controlplane.usage.UsageService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Properties;

/**
 * The web console: server-rendered pages for operators, auditors, institution admins and
 * webmasters, at the root of the control plane's HTTP server and outside /api/v1. Every page works
 * with plain HTML forms (POST-redirect-GET); htmx, served from here, only adds live updates. This
 * class lists every page; the pages call the same services as the REST API.
 */
public final class WebConsole {

  /** Paths the console leaves to the API router, so that they keep their problem+json answers. */
  private static final String CONSOLE_PATHS = "^(?!/api/|/healthz$|/readyz$|/metrics$).*";

  private static final long MAX_FORM_BYTES = 256 * 1024;

  /** What the console is built from: the control plane's services and stores. */
  public record Parts(
      Vertx vertx,
      Database db,
      Clock clock,
      OpenAPIContract contract,
      AuditLog audit,
      PasswordSignIn signIn,
      OidcSignIn oidc,
      TwoFactorService twoFactor,
      DeployTokenService deployTokens,
      io.wingu.controlplane.people.PeopleService people,
      io.wingu.controlplane.backups.SiteBackups backups,
      InstitutionService institutions,
      PlanService plans,
      RequestService requests,
      SiteListing sites,
      SiteTemplates templates,
      DeploymentService deployments,
      SiteLifecycle lifecycle,
      ContentService content,
      DirectoryService directory,
      ScorecardService scorecard,
      io.wingu.controlplane.systems.SystemService systems,
      UsageService usage,
      AuditService auditReader,
      io.wingu.controlplane.notifications.Notifications notifications,
      java.nio.file.Path uploads,
      byte[] signingSecret) {}

  private WebConsole() {}

  /** Mounts the console on the control plane's router, after the API's routes. */
  public static void mount(Router router, Parts p) {
    // the pages go on the API's own router, after its routes: a sub-router mounted at /* would
    // swallow the API's 405 answers; every console-wide handler is limited to console paths
    Router console = router;
    Messages messages = Messages.load();
    Views views = new Views(p.vertx(), messages);
    ErrorPages errors = new ErrorPages(views);
    ConsoleSessions sessions = new ConsoleSessions(p.signIn().policy());
    SessionGate gate =
        new SessionGate(p.db(), sessions, p.clock(), errors, new LoginCsrf(p.signingSecret()));
    ContractCheck contract = new ContractCheck(p.contract());
    TemplateChoices templates = new TemplateChoices(p.templates());

    // every console request answers, even when a page's callback throws
    console.route().pathRegex(CONSOLE_PATHS).handler(CallbackFailures.install(p.vertx())::track);
    console
        .route()
        .pathRegex(CONSOLE_PATHS)
        .handler(
            ctx -> {
              ctx.response()
                  .putHeader(
                      "Content-Security-Policy",
                      "default-src 'self'; img-src 'self' data:; object-src 'none';"
                          + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
                  .putHeader("X-Content-Type-Options", "nosniff")
                  .putHeader("Referrer-Policy", "same-origin");
              ctx.next();
            });
    console.get("/static/*").handler(StaticHandler.create("console/static").setMaxAgeSeconds(3600));
    console.get("/favicon.ico").handler(Favicon.handler());
    console.get("/vendor/*").handler(StaticHandler.create(htmxFolder()).setMaxAgeSeconds(86400));
    console
        .route()
        .method(HttpMethod.POST)
        .pathRegex(CONSOLE_PATHS)
        .handler(Form.reader(MAX_FORM_BYTES));
    console.route().pathRegex(CONSOLE_PATHS).handler(gate::load);

    new SignInPages(
            p.db(), sessions, p.signIn(), p.oidc(), p.clock(), views, errors, gate.loginCsrf())
        .addTo(console, gate);
    AuditRows auditRows = new AuditRows(p.institutions(), views.messages());
    new HomePage(p.db(), p.requests(), p.sites(), p.auditReader(), auditRows, views)
        .addTo(console, gate);
    new RequestPages(p.requests(), p.institutions(), p.plans(), templates, contract, views)
        .addTo(console, gate);
    new SitePages(
            p.sites(),
            p.lifecycle(),
            p.deployments(),
            new TemplateVersions(p.templates()),
            templates,
            views)
        .addTo(console, gate);
    new ContentPages(p.sites(), p.content(), contract, views, p.uploads()).addTo(console, gate);
    new DeployPages(p.sites(), p.deployments(), p.content(), templates, views, p.uploads())
        .addTo(console, gate);
    new InstitutionPages(p.institutions(), contract, views).addTo(console, gate);
    new AccountPages(p.twoFactor(), views).addTo(console, gate);
    new SessionPages(p.people(), views).addTo(console, gate);
    new PeoplePages(p.people(), p.institutions(), views, gate.loginCsrf()).addTo(console, gate);
    new NotificationPages(p.notifications(), views).addTo(console, gate);
    new TokenPages(p.sites(), p.deployTokens(), p.clock(), views).addTo(console, gate);
    new BackupPages(p.sites(), p.backups(), views).addTo(console, gate);
    new AuditPages(p.auditReader(), p.institutions(), auditRows, views).addTo(console, gate);
    new SystemPages(p.systems(), contract, views).addTo(console, gate);
    new PublicPages(p.directory(), p.scorecard(), views).addTo(console);
    new DirectoryPages(p.directory(), p.institutions(), views).addTo(console, gate);
    new ScorecardPages(p.scorecard(), views).addTo(console, gate);
    new UsagePages(p.usage(), p.institutions(), p.clock(), views).addTo(console, gate);

    // a path the console has, asked with a method it does not take there: 405 naming the methods
    console
        .route()
        .pathRegex(CONSOLE_PATHS)
        .handler(
            ctx -> {
              var allowed =
                  io.wingu.controlplane.app.AllowedMethods.of(router, ctx.request().path());
              if (allowed.isEmpty() || allowed.contains(ctx.request().method().name())) {
                errors.notFound(ctx);
              } else {
                ctx.response().putHeader("Allow", String.join(", ", allowed));
                errors.methodNotAllowed(ctx);
              }
            });
    // a page's failure reaches the main router's failure handlers, where the API's problem+json
    // handler comes first: the console's own comes before it, for console paths only
    router.route().order(-1).pathRegex(CONSOLE_PATHS).failureHandler(errors::failed);
  }

  /** The folder of htmx.min.js in its WebJar, found from the WebJar's own version file. */
  private static String htmxFolder() {
    String pom = "META-INF/maven/org.webjars.npm/htmx.org/pom.properties";
    try (InputStream in = WebConsole.class.getClassLoader().getResourceAsStream(pom)) {
      if (in == null) {
        throw new IllegalStateException("the htmx WebJar is not on the classpath (" + pom + ")");
      }
      Properties props = new Properties();
      props.load(in);
      return "META-INF/resources/webjars/htmx.org/" + props.getProperty("version") + "/dist";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
