package io.wingu.controlplane.wiring;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.openapi.contract.OpenAPIContract;
import io.wingu.controlplane.app.ApiContract;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.ConfigException;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.HttpApi;
import io.wingu.controlplane.app.Kubernetes;
import io.wingu.controlplane.app.Readiness;
import io.wingu.controlplane.app.SecureTransport;
import io.wingu.controlplane.app.StartupException;
import io.wingu.controlplane.app.UploadsFolder;
import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.audit.AuditCheckpointer;
import io.wingu.controlplane.audit.AuditCheckpointing;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditLog;
import io.wingu.controlplane.audit.AuditRoutes;
import io.wingu.controlplane.audit.AuditService;
import io.wingu.controlplane.audit.AuditedDatabase;
import io.wingu.controlplane.auth.AccessTokens;
import io.wingu.controlplane.auth.AccountEvents;
import io.wingu.controlplane.auth.AccountService;
import io.wingu.controlplane.auth.AccountsDatabase;
import io.wingu.controlplane.auth.AuthRoutes;
import io.wingu.controlplane.auth.LoginThrottle;
import io.wingu.controlplane.auth.OidcSignIn;
import io.wingu.controlplane.auth.SignInPolicy;
import io.wingu.controlplane.auth.SigningKeys;
import io.wingu.controlplane.auth.TokenService;
import io.wingu.controlplane.auth.TwoFactorService;
import io.wingu.controlplane.backups.BackupRoutes;
import io.wingu.controlplane.backups.BackupSchedule;
import io.wingu.controlplane.backups.BackupService;
import io.wingu.controlplane.backups.SiteBackups;
import io.wingu.controlplane.deploytokens.BearerTokens;
import io.wingu.controlplane.deploytokens.DeployTokenRoutes;
import io.wingu.controlplane.deploytokens.DeployTokenService;
import io.wingu.controlplane.directory.DirectoryRoutes;
import io.wingu.controlplane.directory.DirectoryService;
import io.wingu.controlplane.institutions.InstitutionRoutes;
import io.wingu.controlplane.institutions.InstitutionService;
import io.wingu.controlplane.notifications.MailSender;
import io.wingu.controlplane.notifications.MailText;
import io.wingu.controlplane.notifications.NotificationJobs;
import io.wingu.controlplane.notifications.NotificationRoutes;
import io.wingu.controlplane.notifications.Notifications;
import io.wingu.controlplane.people.PeopleRoutes;
import io.wingu.controlplane.people.PeopleService;
import io.wingu.controlplane.plans.PlanRoutes;
import io.wingu.controlplane.plans.PlanService;
import io.wingu.controlplane.provisioning.Provisioner;
import io.wingu.controlplane.provisioning.RoutingKinds;
import io.wingu.controlplane.provisioning.SiteEvents;
import io.wingu.controlplane.requests.RequestRoutes;
import io.wingu.controlplane.requests.RequestService;
import io.wingu.controlplane.scorecard.Criteria;
import io.wingu.controlplane.scorecard.ScorecardRoutes;
import io.wingu.controlplane.scorecard.ScorecardService;
import io.wingu.controlplane.scorecard.TlsEvidence;
import io.wingu.controlplane.sites.Blobs;
import io.wingu.controlplane.sites.ContentRoutes;
import io.wingu.controlplane.sites.ContentService;
import io.wingu.controlplane.sites.DeploymentRoutes;
import io.wingu.controlplane.sites.DeploymentService;
import io.wingu.controlplane.sites.SiteLifecycle;
import io.wingu.controlplane.sites.SiteListing;
import io.wingu.controlplane.sites.SiteRoutes;
import io.wingu.controlplane.sites.SiteTemplates;
import io.wingu.controlplane.sites.TemplateRoutes;
import io.wingu.controlplane.sites.TemplateVersions;
import io.wingu.controlplane.usage.AgentIdentity;
import io.wingu.controlplane.usage.UsageJobs;
import io.wingu.controlplane.usage.UsageRoutes;
import io.wingu.controlplane.usage.UsageService;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the running control plane: metrics, Vert.x, database, Kubernetes client, HTTP server. */
public final class ControlPlane implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  private final Vertx vertx;
  private final Database database;
  private final KubernetesClient kubernetes;
  private final HttpServer server;
  private final WinguConfig config;

  private final Provisioner provisioner;
  private final UsageService usage;
  private final UsageJobs usageJobs;
  private final UploadsFolder uploads;
  private final AuditCheckpointing.Schedule auditCheckpoints;
  private final AutoCloseable backupSchedule;
  private final AutoCloseable mailSender;
  private final Notifications notifications;
  private final NotificationJobs notificationJobs;
  private final SiteEvents siteEvents;

  private ControlPlane(
      WinguConfig config,
      Vertx vertx,
      Database database,
      KubernetesClient kubernetes,
      HttpServer server,
      Provisioner provisioner,
      UsageService usage,
      UsageJobs usageJobs,
      UploadsFolder uploads,
      AuditCheckpointing.Schedule auditCheckpoints,
      AutoCloseable backupSchedule,
      AutoCloseable mailSender,
      Notifications notifications,
      NotificationJobs notificationJobs,
      SiteEvents siteEvents) {
    this.siteEvents = siteEvents;
    this.notifications = notifications;
    this.notificationJobs = notificationJobs;
    this.backupSchedule = backupSchedule;
    this.mailSender = mailSender;
    this.uploads = uploads;
    this.auditCheckpoints = auditCheckpoints;
    this.usageJobs = usageJobs;
    this.provisioner = provisioner;
    this.usage = usage;
    this.config = config;
    this.vertx = vertx;
    this.database = database;
    this.kubernetes = kubernetes;
    this.server = server;
  }

  public static ControlPlane start(WinguConfig config) {
    Map<String, Integer> scorecardWeights = scorecardWeights(config);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Vertx vertx =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      Database database = Database.open(vertx, config, registry);
      opened.add(database);
      KubernetesClient kubernetes = Kubernetes.connect(config.kubeconfig());
      opened.add(kubernetes);
      UploadsFolder uploads = UploadsFolder.create();
      opened.add(uploads);
      Api api =
          apiRouter(
              vertx, config, database, kubernetes, registry, uploads.path(), scorecardWeights);
      Router router = api.router();
      // first on every request: whether it came over HTTPS
      router.route().order(-100).handler(new SecureTransport(config.http().trustedProxies()));
      opened.add(api.usage());
      opened.add(api.backupSchedule());
      // each capability schedules its own periodic work; closing stops it
      UsageJobs usageJobs =
          UsageJobs.start(vertx, database, api.usage(), config.usage(), Clock.systemUTC());
      opened.add(usageJobs);
      AuditCheckpointing.Schedule auditCheckpoints =
          AuditCheckpointing.start(vertx, database, api.auditCheckpoints());
      opened.add(auditCheckpoints);
      // what the reconciler finds of a site (ready, degraded, a refused deployment) is audited
      AuditLog audit = api.audit();
      SiteEvents siteEvents =
          (h, site, institution, action, after) ->
              audit.append(
                  h,
                  new AuditEntry("wingu", action, "site/" + site, institution, null, null, after));
      Provisioner provisioner =
          Provisioner.start(
              vertx, database, kubernetes, config.provisioning(), Clock.systemUTC(), siteEvents);
      opened.add(provisioner);
      AutoCloseable mailSender =
          MailSender.start(vertx, database, config.smtp(), registry, Clock.systemUTC());
      opened.add(mailSender);
      NotificationJobs notificationJobs =
          NotificationJobs.start(vertx, api.notifications(), Clock.systemUTC());
      opened.add(notificationJobs);
      HttpServer server = listen(vertx, config, router);
      ControlPlane cp =
          new ControlPlane(
              config,
              vertx,
              database,
              kubernetes,
              server,
              provisioner,
              api.usage(),
              usageJobs,
              uploads,
              auditCheckpoints,
              api.backupSchedule(),
              mailSender,
              api.notifications(),
              notificationJobs,
              siteEvents);
      LOG.info("Wingu control plane listening on {}", cp.url());
      return cp;
    } catch (RuntimeException e) {
      for (int i = opened.size() - 1; i >= 0; i--) {
        closeQuietly(opened.get(i));
      }
      vertx.close();
      throw e;
    }
  }

  /**
   * The scorecard capability checks WINGU_SCORECARD_WEIGHTS (the configuration keeps only its text,
   * so app does not depend on scorecard); a bad value stops start-up before anything opens.
   */
  private static Map<String, Integer> scorecardWeights(WinguConfig config) {
    try {
      return Criteria.parseWeights(config.scorecardWeights());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("WINGU_SCORECARD_WEIGHTS: " + e.getMessage());
    }
  }

  /** The API's router, and the services whose periodic work starts with the control plane. */
  private record Api(
      Router router,
      UsageService usage,
      AuditCheckpointer auditCheckpoints,
      AutoCloseable backupSchedule,
      AuditLog audit,
      Notifications notifications) {}

  /**
   * Every capability adds its operations; start-up fails if the document has one nobody handles.
   */
  private static Api apiRouter(
      Vertx vertx,
      WinguConfig config,
      Database database,
      KubernetesClient kubernetes,
      PrometheusMeterRegistry registry,
      Path uploads,
      Map<String, Integer> scorecardWeights) {
    Clock clock = Clock.systemUTC();
    KeyPair keys =
        SigningKeys.read(
            config
                .jwtPrivateKey()
                .orElseThrow(
                    () ->
                        new StartupException(
                            "WINGU_JWT_PRIVATE_KEY is not set: give the Ed25519 PEM key that signs access tokens (./wingu dev makes one)")),
            config
                .jwtPublicKey()
                .orElseThrow(
                    () ->
                        new StartupException(
                            "WINGU_JWT_PUBLIC_KEY is not set: give the public half of WINGU_JWT_PRIVATE_KEY")));
    TokenService tokens = new TokenService(keys, Duration.ofSeconds(config.jwtTtlSeconds()), clock);
    AuditCheckpointing.Trail auditTrail = AuditCheckpointing.open(config.auditCheckpoints(), clock);
    AuditLog audit = auditTrail.log();
    AuditedDatabase audited = new AuditedDatabase(database, audit, clock);
    // the outbox: every audited change that tells someone writes its mails in its own transaction
    Notifications notifications =
        new Notifications(audited, MailText.load(), config.smtp().fromDomain());
    audit.observe(notifications::changed);
    AccountEvents accountEvents =
        (h, actor, action, target, institution, requestId, after) ->
            audit.append(
                h, new AuditEntry(actor, action, target, institution, requestId, null, after));
    AccountsDatabase accountsDatabase = new AccountsDatabase(database, accountEvents, clock);
    AccountService accounts = new AccountService(accountsDatabase);
    TwoFactorService twoFactor = new TwoFactorService(accountsDatabase);
    InstitutionService institutions = new InstitutionService(audited, accounts);
    PlanService plans = new PlanService(audited);
    accounts
        .ensureOperator(config.bootstrapOperator(), config.bootstrapPassword())
        .toCompletionStage()
        .toCompletableFuture()
        .join();

    OpenAPIContract contract = awaitStartup(ApiContract.load(vertx), "load the OpenAPI document");
    SiteTemplates templates =
        config
            .templateCatalog()
            .map(
                folder ->
                    new SiteTemplates(io.wingu.templates.catalog.TemplateCatalog.load(folder)))
            .orElseGet(SiteTemplates::loadDefault);
    TemplateVersions versions = new TemplateVersions(templates);
    SiteListing sites = new SiteListing(database, versions);
    AccessTokens accessTokens = new AccessTokens(database, tokens, accounts, clock);
    DeployTokenService deployTokens = new DeployTokenService(audited, sites, accounts);
    ApiOperations api =
        new ApiOperations(vertx, contract, new BearerTokens(deployTokens, accessTokens), uploads);
    Map<String, Supplier<String>> clusterChecks =
        "gateway".equals(config.provisioning().routing())
            ? Map.of("routing", () -> RoutingKinds.problem(kubernetes))
            : Map.of();
    HttpApi.addOperations(api, new Readiness(vertx, database, kubernetes, clusterChecks), registry);
    AuthRoutes auth =
        new AuthRoutes(
            accounts,
            twoFactor,
            accessTokens,
            new LoginThrottle(config.loginAttemptsPerMinute(), Duration.ofMinutes(1), clock),
            new AuthRoutes.LockoutPolicy(
                config.loginMaxFailures(), Duration.ofSeconds(config.loginLockoutSeconds())),
            new SignInPolicy(
                config.signIn().requireTwoFactor(),
                config.signIn().platformPasswords(),
                config.oidc().issuer().isPresent(),
                config.bootstrapOperator()));
    auth.addTo(api);
    PeopleService people =
        new PeopleService(
            audited,
            accounts,
            deployTokens,
            institutions,
            new LoginThrottle(config.loginAttemptsPerMinute(), Duration.ofMinutes(1), clock));
    new PeopleRoutes(people, accessTokens).addTo(api);
    new InstitutionRoutes(institutions).addTo(api);
    new PlanRoutes(plans).addTo(api);
    new DeployTokenRoutes(deployTokens).addTo(api);
    new NotificationRoutes(notifications).addTo(api);
    Consumer<UUID> siteChanged =
        siteId -> vertx.eventBus().publish(Provisioner.SITE_CHANGED, siteId.toString());
    // rendering is CPU-bound: one worker per core, apart from the database's workers
    WorkerExecutor renderers =
        vertx.createSharedWorkerExecutor(
            "wingu-render", Math.max(1, Runtime.getRuntime().availableProcessors()));
    Blobs blobs = new Blobs();
    SiteLifecycle lifecycle = new SiteLifecycle(audited, siteChanged);
    RequestService requestService =
        new RequestService(audited, institutions, plans, lifecycle, templates::exists, siteChanged);
    new SiteRoutes(sites, lifecycle, versions).addTo(api);
    Optional<BackupService> backups = backupService(config, database, audit, clock, siteChanged);
    WorkerExecutor backupWorkers =
        vertx.createSharedWorkerExecutor("wingu-backups", 2, 12, TimeUnit.HOURS);
    SiteBackups siteBackups = new SiteBackups(backups, sites, backupWorkers);
    new BackupRoutes(siteBackups).addTo(api);
    AutoCloseable backupSchedule =
        backups
            .<AutoCloseable>map(
                b ->
                    BackupSchedule.start(
                        vertx,
                        backupWorkers,
                        b,
                        config.backups().everyHours(),
                        config.backups().retentionDays(),
                        config.backups().checkSeconds()))
            .orElse(() -> {});
    new TemplateRoutes(templates, renderers).addTo(api);
    ContentService content = new ContentService(audited, blobs);
    new ContentRoutes(content).addTo(api);
    DeploymentService deployments =
        new DeploymentService(audited, blobs, templates, renderers, siteChanged);
    new DeploymentRoutes(deployments).addTo(api);
    new RequestRoutes(requestService).addTo(api);
    AuditService auditReader = new AuditService(database, audit);
    new AuditRoutes(auditReader).addTo(api);
    DirectoryService directory = new DirectoryService(audited, institutions, sites);
    new DirectoryRoutes(directory).addTo(api);
    ScorecardService scorecard =
        new ScorecardService(
            vertx,
            audited,
            new TlsEvidence(kubernetes, "gateway".equals(config.provisioning().routing())),
            id -> templates.find(id).map(t -> t.version()).orElse(null),
            scorecardWeights);
    new ScorecardRoutes(scorecard).addTo(api);
    var systems = new io.wingu.controlplane.systems.SystemService(audited, institutions);
    new io.wingu.controlplane.systems.SystemRoutes(systems).addTo(api);
    UsageService usage =
        new UsageService(
            vertx,
            audited,
            tokens,
            (caller, id) -> database.withHandle(h -> institutions.get(h, caller.scope(), id)),
            kubernetes,
            registry,
            Duration.ofSeconds(config.usage().agentTokenTtlSeconds()));
    new UsageRoutes(
            usage,
            new AgentIdentity(
                vertx, database, accessTokens, kubernetes, config.usage().agentServiceAccount()),
            clock)
        .addTo(api);
    Router router = HttpApi.finish(api.router());
    // --- web console (io.wingu.controlplane.web): server-rendered pages outside /api/v1, same
    // services ---
    io.wingu.controlplane.web.WebConsole.mount(
        router,
        new io.wingu.controlplane.web.WebConsole.Parts(
            vertx,
            database,
            clock,
            contract,
            audit,
            auth.passwordSignIn(),
            new OidcSignIn(vertx, accounts, config.oidc(), institutions::idByCode),
            twoFactor,
            deployTokens,
            people,
            siteBackups,
            institutions,
            plans,
            requestService,
            sites,
            templates,
            deployments,
            lifecycle,
            content,
            directory,
            scorecard,
            systems,
            usage,
            auditReader,
            notifications,
            uploads,
            keys.getPrivate().getEncoded()));
    return new Api(router, usage, auditTrail.checkpointer(), backupSchedule, audit, notifications);
  }

  private static <T> T awaitStartup(Future<T> f, String what) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new StartupException("cannot " + what + ": " + Database.rootMessage(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupException("interrupted while trying to " + what, e);
    } catch (TimeoutException e) {
      throw new StartupException("timed out while trying to " + what, e);
    }
  }

  /**
   * One server per event loop on the same port (Vert.x spreads connections over them), so the HTTP
   * work uses every core; the router is shared, its handlers keep no per-loop state.
   */
  private static HttpServer listen(Vertx vertx, WinguConfig config, Router router) {
    HttpServerOptions options = serverOptions(config);
    HttpServer first =
        await(vertx.createHttpServer(options).requestHandler(router).listen(), config);
    int port = first.actualPort();
    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    for (int i = 1; i < loops; i++) {
      Context context = vertx.getOrCreateContext();
      java.util.concurrent.CompletableFuture<HttpServer> more =
          new java.util.concurrent.CompletableFuture<>();
      context.runOnContext(
          v ->
              vertx
                  .createHttpServer(new HttpServerOptions(options).setPort(port))
                  .requestHandler(router)
                  .listen()
                  .onComplete(
                      ar -> {
                        if (ar.succeeded()) {
                          more.complete(ar.result());
                        } else {
                          more.completeExceptionally(ar.cause());
                        }
                      }));
      more.join();
    }
    return first;
  }

  /**
   * The server's options: a connection silent for WINGU_HTTP_IDLE_TIMEOUT is closed, a half-sent
   * request head that stalls too (Vert.x 5 has no separate request-head timeout).
   */
  public static HttpServerOptions serverOptions(WinguConfig config) {
    return new HttpServerOptions()
        .setHost(config.httpHost())
        .setPort(config.httpPort())
        .setCompressionSupported(true)
        .setMaxInitialLineLength(8192)
        .setIdleTimeout(config.http().idleTimeoutSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
  }

  private static HttpServer await(Future<HttpServer> listening, WinguConfig config) {
    try {
      return listening.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BindException) {
        throw new StartupException(
            "port "
                + config.httpPort()
                + " on "
                + config.httpHost()
                + " is already in use: stop the other process or set WINGU_HTTP_PORT to a free port",
            e);
      }
      throw new StartupException("cannot start the HTTP server: " + Database.rootMessage(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupException("interrupted while starting the HTTP server", e);
    } catch (TimeoutException e) {
      throw new StartupException("the HTTP server did not start within 30 s", e);
    }
  }

  public int port() {
    return server.actualPort();
  }

  public URI url() {
    String host = "0.0.0.0".equals(config.httpHost()) ? "localhost" : config.httpHost();
    return URI.create("http://" + host + ":" + port());
  }

  public Database database() {
    return database;
  }

  public KubernetesClient kubernetes() {
    return kubernetes;
  }

  /** What the reconciler records of a site's transitions (audited; people are told). */
  public SiteEvents siteEvents() {
    return siteEvents;
  }

  /** Notifications, whose scheduled passes (digest, register reminders) tests run at will. */
  public Notifications notifications() {
    return notifications;
  }

  /** The usage service, whose rollup tests and benchmarks run on demand. */
  public UsageService usage() {
    return usage;
  }

  public Provisioner provisioner() {
    return provisioner;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Where multipart uploads wait while their request lasts (tests watch it). */
  public Path uploadsFolder() {
    return uploads.path();
  }

  @Override
  public void close() {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("HTTP server did not close cleanly: {}", e.toString());
    }
    closeQuietly(notificationJobs);
    closeQuietly(mailSender);
    closeQuietly(provisioner);
    closeQuietly(backupSchedule);
    closeQuietly(usageJobs);
    closeQuietly(usage);
    closeQuietly(kubernetes);
    closeQuietly(auditCheckpoints);
    closeQuietly(database);
    closeQuietly(uploads);
    vertx.close();
  }

  private static Optional<BackupService> backupService(
      WinguConfig config,
      Database database,
      AuditLog audit,
      Clock clock,
      Consumer<UUID> siteChanged) {
    try {
      return BackupService.open(config, database.jdbi(), audit, clock, siteChanged);
    } catch (java.io.IOException e) {
      throw new StartupException("backups: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
    }
  }
}
