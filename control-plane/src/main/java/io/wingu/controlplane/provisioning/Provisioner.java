package io.wingu.controlplane.provisioning;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.StartupException;
import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.usage.DatabaseSizes;
import java.net.InetAddress;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the reconciler: informers on what Wingu owns, a keyed work queue, wake-ups from approvals
 * and from drift, a periodic full resync, and — with several replicas — a Lease so that one replica
 * reconciles at a time.
 */
public final class Provisioner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);
  public static final String SITE_CHANGED = "wingu.site.changed";
  public static final String LEASE_NAME = "wingu-reconciler";

  private final Vertx vertx;
  private final Database database;
  private final KubernetesClient client;
  private final WinguConfig.Provisioning config;
  private final Clock clock;
  private final TenantStore store;
  private final HikariDataSource tenantAdmin;
  private final TenantDatabases tenantDatabases;
  private final Map<String, UUID> institutionsByCode = new ConcurrentHashMap<>();
  private final String identity;
  private MessageConsumer<String> siteChanges;
  private volatile Running running;
  private CompletableFuture<?> election;

  /** What exists while this replica leads. */
  private record Running(
      LiveObjects live,
      ServerSideApply apply,
      TenantReconciler reconciler,
      ReconcileQueue queue,
      long resyncTimer) {}

  private Provisioner(
      Vertx vertx,
      Database database,
      KubernetesClient client,
      WinguConfig.Provisioning config,
      Clock clock,
      HikariDataSource tenantAdmin,
      TenantDatabases tenantDatabases,
      SiteEvents events) {
    this.store = new TenantStore(events);
    this.vertx = vertx;
    this.database = database;
    this.client = client;
    this.config = config;
    this.clock = clock;
    this.tenantAdmin = tenantAdmin;
    this.tenantDatabases = tenantDatabases;
    this.identity = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public static Provisioner start(
      Vertx vertx,
      Database database,
      KubernetesClient client,
      WinguConfig.Provisioning config,
      Clock clock,
      SiteEvents events) {
    HikariDataSource admin = null;
    TenantDatabases databases = null;
    if (config.tenantDbUrl().isPresent()) {
      String url = config.tenantDbUrl().get();
      HikariConfig h = new HikariConfig();
      h.setPoolName("wingu-tenant-db");
      h.setJdbcUrl(url);
      h.setUsername(config.tenantDbUser());
      config.tenantDbPassword().ifPresent(h::setPassword);
      h.setMaximumPoolSize(3);
      h.setConnectionTimeout(3_000);
      h.setInitializationFailTimeout(-1);
      admin = new HikariDataSource(h);
      URI where = URI.create(url.substring("jdbc:".length()));
      databases =
          new TenantDatabases(
              admin,
              client,
              config.tenantDbHost().orElse(where.getHost()),
              config.tenantDbPort().orElse(where.getPort() > 0 ? where.getPort() : 5432));
      try {
        databases.lockDownServer();
      } catch (SQLException e) {
        admin.close();
        throw new StartupException(
            "cannot prepare the tenant database server "
                + url
                + ": "
                + e.getMessage()
                + " (check WINGU_TENANT_DB_URL, WINGU_TENANT_DB_USER and WINGU_TENANT_DB_PASSWORD)",
            e);
      }
    }
    Provisioner p =
        new Provisioner(vertx, database, client, config, clock, admin, databases, events);
    p.siteChanges =
        vertx.eventBus().consumer(SITE_CHANGED, m -> p.siteChanged(UUID.fromString(m.body())));
    if (config.leaderElection()) {
      p.election =
          client
              .leaderElector()
              .withConfig(
                  new LeaderElectionConfigBuilder()
                      .withName(LEASE_NAME)
                      .withLock(new LeaseLock(config.leaseNamespace(), LEASE_NAME, p.identity))
                      .withLeaseDuration(Duration.ofSeconds(15))
                      .withRenewDeadline(Duration.ofSeconds(10))
                      .withRetryPeriod(Duration.ofSeconds(2))
                      .withReleaseOnCancel(true)
                      .withLeaderCallbacks(
                          new LeaderCallbacks(
                              p::startLeading,
                              p::stopLeading,
                              leader -> LOG.info("reconciler leader is {}", leader)))
                      .build())
              .build()
              .start();
    } else {
      p.startLeading();
    }
    return p;
  }

  /** True while this replica runs the reconciler. */
  public boolean leading() {
    return running != null;
  }

  public String identity() {
    return identity;
  }

  /** The apply counters of this replica's reconciler (empty when not leading). */
  public Optional<ServerSideApply> applier() {
    Running r = running;
    return r == null ? Optional.empty() : Optional.of(r.apply());
  }

  /** True while reconciles are queued or running. */
  public boolean busy() {
    Running r = running;
    return r != null && r.queue().busy();
  }

  private synchronized void startLeading() {
    if (running != null) {
      return;
    }
    LOG.info("{} starts reconciling", identity);
    boolean gatewayRouting = "gateway".equals(config.routing());
    List<String> missingKinds = gatewayRouting ? RoutingKinds.missing(client) : List.of();
    if (!missingKinds.isEmpty()) {
      LOG.error(
          "WINGU_ROUTING=gateway, but the cluster does not serve {}: no tenant is reconciled"
              + " until they are installed",
          String.join(", ", missingKinds));
    }
    LiveObjects live =
        new LiveObjects(
            client,
            this::objectChanged,
            0,
            gatewayRouting && missingKinds.isEmpty() ? SiteRoutes.KINDS : List.of());
    ServerSideApply apply = new ServerSideApply(client, live);
    TenantReconciler.Settings settings =
        new TenantReconciler.Settings(
            config.siteImage(),
            new SiteIngresses.Edge(config.ingressClass(), config.clusterIssuer()),
            new NetworkPolicies.Doors(
                config.ingressNamespace(),
                config.tenantDbCidr(),
                config.tenantDbPort().orElse(5432),
                config.controlPlaneNamespace(),
                config.controlPlanePort(),
                config.internalUrl(),
                config.clusterDnsCidr().orElse(null)),
            config.controllerServiceAccount(),
            Duration.ofDays(config.databaseRetentionDays()),
            new BundleFetch(config.fetchImage(), config.internalUrl()));
    if (gatewayRouting) {
      settings =
          settings.routedBy(
              new SiteRoutes.Gateway(
                  config.gatewayName(), config.gatewayNamespace(), config.clusterIssuer()),
              missingKinds);
    }
    TenantReconciler reconciler =
        new TenantReconciler(
            database.dataSource(),
            store,
            client,
            apply,
            live,
            tenantDatabases == null ? null : tenantDatabases,
            settings,
            clock);
    ReconcileQueue queue = new ReconcileQueue(reconciler::reconcile, config.reconcileWorkers());
    long timer = vertx.setPeriodic(config.resyncSeconds() * 1000L, id -> resyncSpread());
    running = new Running(live, apply, reconciler, queue, timer);
    resyncAll();
  }

  private synchronized void stopLeading() {
    Running r = running;
    running = null;
    if (r != null) {
      LOG.info("{} stops reconciling", identity);
      vertx.cancelTimer(r.resyncTimer());
      r.queue().close();
      r.live().close();
    }
  }

  /**
   * Every institution with sites at once (on taking the lead, and when asked), and the databases
   * whose retention ran out.
   */
  public void resyncAll() {
    Running r = running;
    if (r == null) {
      return;
    }
    database
        .withHandle(store::institutionsWithSites)
        .onSuccess(ids -> ids.forEach(r.queue()::enqueue))
        .onFailure(e -> LOG.warn("full resync could not list tenants: {}", e.getMessage()));
    housekeeping(r);
  }

  /**
   * The periodic resync: every institution with sites, spread over the first half of the period
   * ({@link ResyncSpread}); a slice due after this replica stopped leading is dropped.
   */
  private void resyncSpread() {
    Running r = running;
    if (r == null) {
      return;
    }
    database
        .withHandle(store::institutionsWithSites)
        .onSuccess(
            ids -> {
              for (ResyncSpread.Slice slice :
                  ResyncSpread.plan(ids, Duration.ofSeconds(config.resyncSeconds()))) {
                Runnable enqueue =
                    () -> {
                      if (running == r) {
                        slice.tenants().forEach(r.queue()::enqueue);
                      }
                    };
                if (slice.delay().isZero()) {
                  enqueue.run();
                } else {
                  vertx.setTimer(slice.delay().toMillis(), id -> enqueue.run());
                }
              }
            })
        .onFailure(e -> LOG.warn("full resync could not list tenants: {}", e.getMessage()));
    housekeeping(r);
  }

  private void housekeeping(Running r) {
    vertx
        .executeBlocking(
            () -> {
              r.reconciler().dropExpiredDatabases();
              return null;
            },
            false)
        .onFailure(e -> LOG.warn("dropping expired databases failed: {}", e.getMessage()));
    sampleDatabaseSizes()
        .onFailure(e -> LOG.warn("tenant database sizes not sampled: {}", e.getMessage()));
  }

  /**
   * Measures the tenant databases not yet measured this hour (usage); none without a tenant server.
   */
  public Future<Integer> sampleDatabaseSizes() {
    if (tenantDatabases == null) {
      return Future.succeededFuture(0);
    }
    return database.withHandle(
        h -> DatabaseSizes.sample(h, tenantDatabases::sizeBytes, clock.instant()));
  }

  private void siteChanged(UUID siteId) {
    database
        .withHandle(h -> store.institutionOfSite(h, siteId))
        .onSuccess(inst -> inst.ifPresent(this::enqueue));
  }

  private void objectChanged(String code) {
    UUID known = institutionsByCode.get(code);
    if (known != null) {
      enqueue(known);
      return;
    }
    database
        .withHandle(h -> store.institutionByCode(h, code))
        .onSuccess(
            inst ->
                inst.ifPresent(
                    id -> {
                      institutionsByCode.put(code, id);
                      enqueue(id);
                    }));
  }

  public void enqueue(UUID institutionId) {
    Running r = running;
    if (r != null) {
      r.queue().enqueue(institutionId);
    }
  }

  /** Waits (for tests and benchmarks) until nothing is queued or running. */
  public List<UUID> tenants() throws SQLException {
    return Database.jdbi(database.dataSource()).withHandle(store::institutionsWithSites);
  }

  @Override
  public void close() {
    if (siteChanges != null) {
      siteChanges.unregister();
    }
    if (election != null) {
      election.cancel(true);
    }
    stopLeading();
    if (tenantAdmin != null) {
      tenantAdmin.close();
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "wingu";
    }
  }
}
