package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wingu.controlplane.app.Database;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one tenant's objects in the cluster match PostgreSQL, step by step in the order a person
 * would do it, and writes each site's conditions back. Level-triggered: it reads the whole desired
 * state every time and is safe to run again at any point.
 */
public final class TenantReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(TenantReconciler.class);

  /**
   * Cluster-specific settings the desired objects need. {@code gateway} present: sites are routed
   * by Gateway API (HTTPRoute, ListenerSet, Certificate), else by Ingress; {@code
   * missingRoutingKinds}: the kinds gateway routing needs that the cluster does not serve (then
   * nothing of a tenant is applied, and its sites say why).
   */
  public record Settings(
      String siteImage,
      SiteIngresses.Edge edge,
      NetworkPolicies.Doors doors,
      Optional<String> controllerServiceAccount,
      Duration databaseRetention,
      BundleFetch bundleFetch,
      Optional<SiteRoutes.Gateway> gateway,
      List<String> missingRoutingKinds) {

    /** Settings routing by Ingress. */
    public Settings(
        String siteImage,
        SiteIngresses.Edge edge,
        NetworkPolicies.Doors doors,
        Optional<String> controllerServiceAccount,
        Duration databaseRetention,
        BundleFetch bundleFetch) {
      this(
          siteImage,
          edge,
          doors,
          controllerServiceAccount,
          databaseRetention,
          bundleFetch,
          Optional.empty(),
          List.of());
    }

    /**
     * Settings with the default bundle fetch (image and control plane URL of the chart's defaults).
     */
    public Settings(
        String siteImage,
        SiteIngresses.Edge edge,
        NetworkPolicies.Doors doors,
        Optional<String> controllerServiceAccount,
        Duration databaseRetention) {
      this(
          siteImage, edge, doors, controllerServiceAccount, databaseRetention, BundleFetch.DEFAULT);
    }

    /** The same settings, routing sites through {@code gateway}. */
    public Settings routedBy(SiteRoutes.Gateway gateway, List<String> missingKinds) {
      return new Settings(
          siteImage,
          edge,
          doors,
          controllerServiceAccount,
          databaseRetention,
          bundleFetch,
          Optional.of(gateway),
          List.copyOf(missingKinds));
    }
  }

  private final Jdbi jdbi;
  private final TenantStore store;
  private final KubernetesClient client;
  private final ServerSideApply apply;
  private final LiveObjects live;
  private final TenantDatabases databases;
  private final Settings settings;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public TenantReconciler(
      DataSource db,
      TenantStore store,
      KubernetesClient client,
      ServerSideApply apply,
      LiveObjects live,
      TenantDatabases databases,
      Settings settings,
      Clock clock) {
    this.jdbi = Database.jdbi(db);
    this.store = store;
    this.client = client;
    this.apply = apply;
    this.live = live;
    this.databases = databases;
    this.settings = settings;
    this.clock = clock;
  }

  public void reconcile(UUID institutionId) throws SQLException {
    Optional<Tenant> loaded = jdbi.withHandle(h -> store.load(h, institutionId));
    if (loaded.isEmpty()) {
      return;
    }
    Tenant t = loaded.get();
    if (t.sites().isEmpty()) {
      // every site decommissioned: a namespace left behind (a stop between the last site and its
      // namespace) goes now; the cache makes this free when there is none
      apply.delete(Namespaces.desired(t));
      return;
    }
    try {
      reconcile(t);
    } catch (SQLException | RuntimeException e) {
      String why =
          unreachable(e)
              ? SiteEvents.UNREACHABLE + " (" + rootMessage(e) + "); retrying"
              : rootMessage(e);
      LOG.warn("tenant {}: reconcile failed: {}", t.code(), why);
      for (Tenant.Site s : t.liveSites()) {
        writeConditions(
            s,
            s.status(),
            List.of(Condition.of(Condition.DEPLOYED, false, "ReconcileFailed", why)));
      }
      throw e;
    }
  }

  private void reconcile(Tenant t) throws SQLException {
    if (!settings.missingRoutingKinds().isEmpty()) {
      // checked before the first write: a tenant is never left half-applied for want of a kind
      throw new IllegalStateException(
          "routing by Gateway API (WINGU_ROUTING=gateway) needs kinds the cluster does not serve: "
              + String.join(", ", settings.missingRoutingKinds()));
    }
    if (t.liveSites().isEmpty()) {
      // the institution's last site goes: its namespace (quota, policies, account) goes with it
      for (Tenant.Site s : t.sites()) {
        decommission(t, s);
      }
      apply.delete(Namespaces.desired(t));
      return;
    }
    Namespace ns = reconcileNamespace(t);
    reconcileServiceAccount(t);
    reconcileSecretsAccess(t);
    apply.apply(ResourceQuotas.desired(t));
    reconcileLimitRange(t);
    reconcileNetworkPolicies(t);
    // the guardrails' parameter: before any route or Ingress, which the API server checks against
    // it
    apply.apply(TenantDomains.desired(t));
    for (Tenant.Site s : t.liveSites()) {
      reconcileSite(t, s, ns);
    }
    for (Tenant.Site s : t.sites()) {
      if (s.decommissioning()) {
        decommission(t, s);
      }
    }
  }

  private Namespace reconcileNamespace(Tenant t) {
    return apply.apply(Namespaces.desired(t)).object();
  }

  private void reconcileServiceAccount(Tenant t) {
    apply.apply(ServiceAccounts.desired(t));
  }

  private void reconcileSecretsAccess(Tenant t) {
    settings
        .controllerServiceAccount()
        .ifPresent(sa -> apply.apply(TenantSecretsAccess.desired(t, sa)));
  }

  private void reconcileLimitRange(Tenant t) {
    apply.apply(LimitRanges.desired(t));
  }

  private void reconcileNetworkPolicies(Tenant t) {
    NetworkPolicies.desired(t, settings.doors()).forEach(apply::apply);
  }

  private void reconcileSite(Tenant t, Tenant.Site s, Namespace ns) throws SQLException {
    List<Condition> conditions = new ArrayList<>();
    boolean namespaceReady =
        ns != null
            && (ns.getStatus() == null
                || ns.getStatus().getPhase() == null
                || "Active".equals(ns.getStatus().getPhase()));
    conditions.add(
        Condition.of(
            Condition.NAMESPACE_READY,
            namespaceReady,
            namespaceReady ? "Applied" : "Terminating",
            "namespace " + t.namespace()));
    conditions.add(
        Condition.of(
            Condition.QUOTA_APPLIED,
            true,
            "Applied",
            "quota "
                + ResourceQuotas.NAME
                + " is the sum of "
                + t.liveSites().size()
                + " approved site(s)"));
    if (s.database() != null && databases == null) {
      conditions.add(
          Condition.of(
              Condition.DATABASE_READY,
              false,
              "NoDatabaseServer",
              "no tenant database server is configured (WINGU_TENANT_DB_URL)"));
    } else if (s.database() != null) {
      try {
        String name = databases.ensure(t, s);
        jdbi.useHandle(h -> store.recordDatabaseName(h, s.id(), name));
        String ready = "database " + name + "; credentials in Secret " + DatabaseSecrets.name(s);
        for (TenantStore.SiteRestore r : jdbi.withHandle(h -> store.restoredDatabases(h, s.id()))) {
          String secret = DatabaseSecrets.restoredName(s, r.number());
          if (!databases.ensureRestored(t, s, r.databaseName(), secret)) {
            LOG.warn("{}/{}: restored database {} is gone", t.code(), s.name(), r.databaseName());
          }
        }
        conditions.add(
            jdbi.withHandle(h -> store.latestRestore(h, s.id()))
                .map(r -> DatabaseRestores.condition(s, ready, r))
                .orElseGet(() -> Condition.of(Condition.DATABASE_READY, true, "Ready", ready)));
      } catch (SQLException e) {
        conditions.add(
            Condition.of(Condition.DATABASE_READY, false, "DatabaseError", rootMessage(e)));
      }
    }

    reconcileBundleToken(t, s);
    // before the Deployment: its pods mount this server configuration
    apply.apply(SiteWebConfigs.desired(t, s));
    Deployment desired =
        SiteDeployments.desired(t, s, settings.siteImage(), settings.bundleFetch());
    // the dry run costs a request: only when the pod template is about to change
    String podSecurity = apply.upToDate(desired) ? null : podSecurityProblem(t, s);
    if (podSecurity != null) {
      conditions.add(Condition.of(Condition.DEPLOYED, false, "PodSecurity", podSecurity));
      conditions.add(
          Condition.of(
              Condition.AVAILABLE, false, "NotDeployed", "the pod template is not admitted"));
      writeConditions(s, "PROVISIONING", conditions);
      return;
    }
    var deployment = apply.apply(desired);
    apply.apply(SiteServices.desired(t, s));
    boolean served = !s.suspended() && !SiteIngresses.allowedHostnames(t, s).isEmpty();
    List<Condition> routing =
        settings.gateway().isPresent()
            ? reconcileRoute(t, s, served, settings.gateway().get())
            : reconcileIngress(t, s, served);
    // our own write is not echoed back as a wake-up (LiveObjects.writing), so the cache may not
    // have it yet: the API server's answer to the apply is then the newest view
    Deployment written = deployment.object();
    Deployment cached = live.get(desired);
    Long generation = written.getMetadata().getGeneration();
    Deployment observed =
        cached != null
                && generation != null
                && generation.equals(cached.getMetadata().getGeneration())
            ? cached
            : written;
    // observed holds the generation just applied (cache or answer), so the spec is stored once the
    // API server has given the Deployment a generation
    boolean deployed = generation != null;
    List<String> refused = SiteIngresses.refusedHostnames(t, s);
    String skipped =
        refused.isEmpty()
            ? ""
            : "; hostnames outside the institution's domains left out: " + refused;
    conditions.add(
        Condition.of(
            Condition.DEPLOYED,
            deployed,
            deployed ? "Applied" : "Applying",
            "web server configuration, deployment, service"
                + (s.suspended()
                    ? ""
                    : settings.gateway().isPresent() ? " and route" : " and ingress")
                + " applied"
                + skipped));
    // said on the site, not only left out: the institution and the operator see why a name is not
    // served
    conditions.add(
        refused.isEmpty()
            ? Condition.of(
                Condition.HOSTNAMES_DELEGATED,
                true,
                "Delegated",
                "every hostname is the institution's")
            : Condition.of(
                Condition.HOSTNAMES_DELEGATED,
                false,
                "NotDelegated",
                "not served, not the institution's"
                    + " (outside its domains, or under a more specific domain delegated to another institution): "
                    + String.join(", ", refused)));
    conditions.addAll(routing);
    var status = observed == null ? null : observed.getStatus();
    boolean available =
        status != null
            && status.getAvailableReplicas() != null
            && status.getAvailableReplicas() >= 1
            && status.getObservedGeneration() != null
            && status.getObservedGeneration().equals(generation);
    conditions.add(
        Condition.of(
            Condition.AVAILABLE,
            available,
            available
                ? "MinimumReplicasAvailable"
                : s.suspended()
                    ? "Suspended"
                    : s.bundleDigest() == null ? "NothingDeployed" : "NoReplicaAvailable",
            available
                ? status.getAvailableReplicas() + " replica(s) available"
                : s.bundleDigest() == null
                    ? "no revision is deployed yet: the site runs once its first revision is"
                    : "no replica is available yet"));
    String siteStatus;
    if (s.suspended()) {
      siteStatus = "SUSPENDED";
    } else if (deployed && available) {
      siteStatus = "ACTIVE";
    } else if ("ACTIVE".equals(s.status()) || "DEGRADED".equals(s.status())) {
      siteStatus = "DEGRADED";
    } else {
      siteStatus = "PROVISIONING";
    }
    writeConditions(s, siteStatus, conditions);
  }

  private List<Condition> reconcileIngress(Tenant t, Tenant.Site s, boolean served) {
    Ingress ingress = SiteIngresses.desired(t, s, settings.edge());
    if (served) {
      apply.apply(ingress);
    } else {
      apply.delete(ingress);
    }
    return List.of();
  }

  /**
   * Gateway routing of one site: its Certificate, ListenerSet and HTTPRoute, and the conditions
   * read back from their status. An Ingress left from routing by Ingress keeps serving until the
   * Gateway has accepted the route, and goes then (the switch from ingress to gateway moves live
   * sites without a gap).
   */
  private List<Condition> reconcileRoute(
      Tenant t, Tenant.Site s, boolean served, SiteRoutes.Gateway gateway) {
    GenericKubernetesResource route = SiteRoutes.route(t, s);
    GenericKubernetesResource listenerSet = SiteRoutes.listenerSet(t, s, gateway);
    GenericKubernetesResource certificate = SiteRoutes.certificate(t, s, gateway);
    Ingress ingress = SiteIngresses.desired(t, s, settings.edge());
    if (!served) {
      // the route first: no hostname is served a moment longer than the site is
      apply.delete(route);
      apply.delete(listenerSet);
      apply.delete(certificate);
      apply.delete(ingress);
      return List.of(
          Condition.of(
              Condition.ROUTED,
              false,
              s.suspended() ? "Suspended" : "NoHostname",
              s.suspended()
                  ? "the site is suspended: it has no route"
                  : "no hostname of the site is the institution's: it has no route"));
    }
    // the three are independent: apply them together, each in one request at most
    List<ServerSideApply.Applied<GenericKubernetesResource>> applied =
        apply.applyAll(List.of(certificate, listenerSet, route));
    GenericKubernetesResource liveRoute = newest(route, applied.get(2).object());
    GenericKubernetesResource liveCertificate = newest(certificate, applied.get(0).object());
    Condition routed = SiteRoutes.routed(liveRoute);
    if (live.get(ingress) != null) {
      if (SiteRoutes.accepted(liveRoute)) {
        apply.delete(ingress);
        LOG.info("tenant {}: site {} moved from its Ingress to its HTTPRoute", t.code(), s.name());
      } else {
        routed =
            new Condition(
                routed.type(),
                routed.status(),
                routed.reason(),
                routed.message()
                    + "; the site's Ingress keeps serving until the Gateway accepts the route",
                null);
      }
    }
    return List.of(routed, SiteRoutes.tlsReady(liveCertificate));
  }

  /** The cached object when it is at least as new as Wingu's write's answer, else the answer. */
  private GenericKubernetesResource newest(
      GenericKubernetesResource desired, GenericKubernetesResource written) {
    GenericKubernetesResource cached = live.get(desired);
    if (cached == null) {
      return written;
    }
    if (written == null || cached == written) {
      return cached;
    }
    Long cachedGeneration = cached.getMetadata().getGeneration();
    Long writtenGeneration = written.getMetadata().getGeneration();
    return cachedGeneration != null && cachedGeneration.equals(writtenGeneration)
        ? cached
        : written;
  }

  /**
   * The site's bundle token: the Secret is made once with a fresh random token when it is missing
   * (first time, or someone deleted it), and PostgreSQL keeps the hash of whatever token the Secret
   * holds, so the two never disagree for long. The token is never logged.
   */
  private void reconcileBundleToken(Tenant t, Tenant.Site s) throws SQLException {
    var secrets = client.secrets().inNamespace(t.namespace());
    String token = BundleTokens.tokenIn(secrets.withName(BundleTokens.name(s)).get());
    if (token == null) {
      token = BundleTokens.newToken(random);
      client
          .resource(BundleTokens.desired(t, s, token))
          .fieldManager(Labels.FIELD_MANAGER)
          .forceConflicts()
          .serverSideApply();
      LOG.info(
          "tenant {}: site {} has a new bundle token in Secret {}",
          t.code(),
          s.name(),
          BundleTokens.name(s));
    }
    String hash = BundleTokens.hash(token);
    jdbi.useHandle(h -> store.recordBundleTokenHash(h, s.id(), hash));
  }

  /** Pod Security judges Pods, not Deployments: a server-side dry run of the site's pod says. */
  private String podSecurityProblem(Tenant t, Tenant.Site s) {
    try {
      client
          .pods()
          .inNamespace(t.namespace())
          .resource(
              new PodBuilder()
                  .withMetadata(Labels.siteObject(t, s, s.name() + "-admission-check"))
                  .withSpec(
                      SiteDeployments.podSpec(s, settings.siteImage(), settings.bundleFetch()))
                  .build())
          .dryRun()
          .create();
      return null;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 || e.getCode() == 422) {
        return e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
      }
      throw e;
    }
  }

  private void decommission(Tenant t, Tenant.Site s) throws SQLException {
    settings
        .gateway()
        .ifPresent(
            gateway -> {
              apply.delete(SiteRoutes.route(t, s));
              apply.delete(SiteRoutes.listenerSet(t, s, gateway));
              apply.delete(SiteRoutes.certificate(t, s, gateway));
            });
    apply.delete(SiteIngresses.desired(t, s, settings.edge()));
    apply.delete(SiteServices.desired(t, s));
    apply.delete(SiteDeployments.desired(t, s, settings.siteImage(), settings.bundleFetch()));
    apply.delete(SiteWebConfigs.desired(t, s));
    deleteSecret(t, BundleTokens.name(s));
    if (s.database() != null) {
      deleteSecret(t, DatabaseSecrets.name(s));
    }
    Instant now = clock.instant();
    jdbi.useHandle(
        h -> store.markDecommissioned(h, s.id(), now.plus(settings.databaseRetention()), now));
    LOG.info("tenant {}: site {} decommissioned", t.code(), s.name());
  }

  private void deleteSecret(Tenant t, String name) {
    try {
      client.secrets().inNamespace(t.namespace()).withName(name).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private void writeConditions(Tenant.Site s, String status, List<Condition> conditions)
      throws SQLException {
    jdbi.useTransaction(h -> store.report(h, s.id(), status, conditions, clock.instant()));
  }

  /** Drops the databases whose retention after decommissioning has run out. */
  public void dropExpiredDatabases() throws SQLException {
    List<TenantStore.ExpiredDatabase> due =
        jdbi.withHandle(h -> store.databasesToDrop(h, clock.instant()));
    for (TenantStore.ExpiredDatabase d : due) {
      for (TenantStore.SiteRestore r :
          jdbi.withHandle(h -> store.restoredDatabases(h, d.siteId()))) {
        databases.drop(r.databaseName());
        jdbi.useHandle(h -> store.markRestoredDatabaseDropped(h, r.id(), clock.instant()));
      }
      databases.drop(d.name());
      jdbi.useHandle(h -> store.markDatabaseDropped(h, d.siteId(), clock.instant()));
      LOG.info("dropped database {} after its retention", d.name());
    }
  }

  /** A failure to talk to the API server at all, as opposed to an answer it gave. */
  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException
          || t instanceof java.nio.channels.ClosedChannelException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return e instanceof KubernetesClientException k && k.getCode() == 0;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
