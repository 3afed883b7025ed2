package io.wingu.controlplane.app;

import io.wingu.controlplane.provisioning.BundleFetch;
import io.wingu.controlplane.provisioning.NetworkPolicies;
import io.wingu.controlplane.provisioning.SiteDeployments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every WINGU_* setting, parsed once from a map (the environment, or a test's own map). A bad value
 * fails with a {@link ConfigException} whose message names the variable.
 */
public record WinguConfig(
    String httpHost,
    int httpPort,
    Optional<String> dbUrl,
    String dbUser,
    Optional<String> dbPassword,
    Optional<String> dbMigrationUser,
    Optional<String> dbMigrationPassword,
    int dbPoolSize,
    Optional<Path> kubeconfig,
    String bootstrapOperator,
    Optional<String> bootstrapPassword,
    String logFormat,
    Optional<Path> jwtPrivateKey,
    Optional<Path> jwtPublicKey,
    int jwtTtlSeconds,
    int loginMaxFailures,
    int loginLockoutSeconds,
    int loginAttemptsPerMinute,
    Provisioning provisioning,
    Usage usage,
    String scorecardWeights,
    Optional<Path> templateCatalog,
    AuditCheckpoints auditCheckpoints,
    Http http,
    Oidc oidc,
    SignIn signIn,
    Backups backups,
    Smtp smtp) {

  /**
   * Where tenant database backups go (an S3-compatible store), the key they are encrypted with, and
   * the PostgreSQL client that dumps and restores them. Backups are off without an endpoint.
   */
  public record Backups(
      Optional<String> s3Endpoint,
      String s3Bucket,
      String s3Region,
      Optional<String> s3AccessKey,
      Optional<String> s3SecretKey,
      boolean s3PathStyle,
      Optional<Path> keyFile,
      Optional<Path> pgBin,
      int everyHours,
      int retentionDays,
      int checkSeconds) {

    /** Whether backups are configured at all. */
    public boolean enabled() {
      return s3Endpoint.isPresent();
    }
  }

  /**
   * Sign-in with the Authority's OpenID Connect provider, when {@code issuer} is set: the client
   * registered there, the claim that carries a person's groups, which groups make which platform
   * role (first match in order), and the console's public address (the callback is under it).
   */
  public record Oidc(
      Optional<String> issuer,
      String clientId,
      Optional<String> clientSecret,
      String groupsClaim,
      Map<String, String> groupRoles,
      Optional<String> institutionClaim,
      String publicUrl) {}

  /**
   * Who may sign in how: two-factor sign-in required for operators and institution admins, and
   * whether operators and auditors may sign in with a password when an identity provider is set.
   */
  public record SignIn(boolean requireTwoFactor, boolean platformPasswords) {}

  /** The SMTP server notifications go through, and how the outbox's sender paces and retries. */
  public record Smtp(
      Optional<String> host,
      int port,
      String from,
      Optional<String> username,
      Optional<String> password,
      String startTls,
      int ratePerSecond,
      int retrySeconds,
      int retryMaxSeconds,
      int giveUpHours,
      int leaseSeconds,
      int pollMillis) {

    /** The domain of the sender's address: the right-hand side of every Message-ID. */
    public String fromDomain() {
      String f = from.replaceAll(".*<([^>]*)>.*", "$1");
      int at = f.lastIndexOf('@');
      return at < 0 ? "localhost" : f.substring(at + 1).strip();
    }
  }

  /** Where the audit chain's signed checkpoints are made and kept, outside the database. */
  public record AuditCheckpoints(
      Optional<Path> signingKey, Optional<Path> publicKey, Optional<Path> dir, int every) {}

  /** Settings of the HTTP server's connections and of the proxies in front of it. */
  public record Http(int idleTimeoutSeconds, java.util.List<String> trustedProxies) {}

  /** Settings of usage ingestion and its rollups. */
  public record Usage(
      Optional<String> agentServiceAccount,
      int rollupSeconds,
      int retentionDays,
      int agentTokenTtlSeconds) {}

  /** Settings of the reconciler and of the tenants it builds. */
  public record Provisioning(
      Optional<String> tenantDbUrl,
      String tenantDbUser,
      Optional<String> tenantDbPassword,
      Optional<String> tenantDbHost,
      Optional<Integer> tenantDbPort,
      String tenantDbCidr,
      String ingressClass,
      String clusterIssuer,
      String routing,
      String gatewayName,
      String gatewayNamespace,
      String ingressNamespace,
      String siteImage,
      Optional<String> controllerServiceAccount,
      int resyncSeconds,
      int reconcileWorkers,
      boolean leaderElection,
      String leaseNamespace,
      int databaseRetentionDays,
      String fetchImage,
      String internalUrl,
      String controlPlaneNamespace,
      int controlPlanePort,
      Optional<String> clusterDnsCidr) {}

  /** Name, default and meaning of each variable; README's configuration table mirrors this. */
  public static final Map<String, String> VARIABLES = new LinkedHashMap<>();

  static {
    VARIABLES.put("WINGU_HTTP_HOST", "0.0.0.0 | address the HTTP server binds");
    VARIABLES.put("WINGU_HTTP_PORT", "8080 | HTTP port (1-65535)");
    VARIABLES.put(
        "WINGU_DB_URL",
        "(dev: embedded) | JDBC URL of the control plane's PostgreSQL, jdbc:postgresql://host:port/db");
    VARIABLES.put("WINGU_DB_USER", "wingu | database user");
    VARIABLES.put("WINGU_DB_PASSWORD", "(none) | database password");
    VARIABLES.put(
        "WINGU_DB_MIGRATION_USER",
        "(WINGU_DB_USER) | the role that owns the schema and runs migrations; the application role then gets only the privileges it needs");
    VARIABLES.put("WINGU_DB_MIGRATION_PASSWORD", "(WINGU_DB_PASSWORD) | its password");
    VARIABLES.put("WINGU_DB_POOL_SIZE", "10 | connections in the pool (1-200)");
    VARIABLES.put(
        "WINGU_KUBECONFIG",
        "(in-cluster; dev: local API server) | kubeconfig file of the cluster to manage");
    VARIABLES.put("WINGU_BOOTSTRAP_OPERATOR", "operator | username of the first operator");
    VARIABLES.put(
        "WINGU_BOOTSTRAP_PASSWORD",
        "(dev: generated) | password of the first operator (at least 12 characters)");
    VARIABLES.put("WINGU_LOG_FORMAT", "json | json (one JSON object per line) or text");
    VARIABLES.put(
        "WINGU_JWT_PRIVATE_KEY",
        "(dev: generated) | Ed25519 private key (PKCS#8 PEM file) that signs access tokens");
    VARIABLES.put("WINGU_JWT_PUBLIC_KEY", "(dev: generated) | its public key (X.509 PEM file)");
    VARIABLES.put("WINGU_JWT_TTL", "900 | access token lifetime in seconds (60-86400)");
    VARIABLES.put(
        "WINGU_LOGIN_MAX_FAILURES",
        "5 | failed sign-ins in a row for one username from one address before that address waits (30 s, doubling)");
    VARIABLES.put(
        "WINGU_LOGIN_LOCKOUT",
        "900 | seconds: the longest wait after failed sign-ins; a failure streak is forgotten this long after its last failure");
    VARIABLES.put("WINGU_LOGIN_RATE", "20 | sign-in attempts per minute allowed from one address");
    VARIABLES.put(
        "WINGU_TENANT_DB_URL",
        "(dev: a second embedded server) | JDBC URL of the shared PostgreSQL where tenant databases are made");
    VARIABLES.put("WINGU_TENANT_DB_USER", "postgres | a role there with CREATEROLE and CREATEDB");
    VARIABLES.put("WINGU_TENANT_DB_PASSWORD", "(none) | its password");
    VARIABLES.put(
        "WINGU_TENANT_DB_HOST",
        "(host of WINGU_TENANT_DB_URL) | the tenant server's host as pods reach it (written into db-<site> Secrets)");
    VARIABLES.put(
        "WINGU_TENANT_DB_PORT", "(port of WINGU_TENANT_DB_URL) | its port as pods reach it");
    VARIABLES.put(
        "WINGU_TENANT_DB_CIDR",
        "10.0.0.0/8 | addresses of the shared database that tenant NetworkPolicies let pods reach");
    VARIABLES.put(
        "WINGU_CLUSTER_DNS_CIDR",
        "(none: kube-system's kube-dns pods only) | addresses of the cluster DNS as pods reach it when it is not a kube-dns pod (NodeLocal DNSCache, a resolver on the node); tenant NetworkPolicies let pods reach it on port 53");
    VARIABLES.put(
        "WINGU_ROUTING",
        "gateway | how sites are reached: gateway (Gateway API: an HTTPRoute, a ListenerSet and a cert-manager Certificate per site, attached to the Authority's Gateway) or ingress (an Ingress per site, for clusters that still run an Ingress controller)");
    VARIABLES.put(
        "WINGU_GATEWAY_NAME",
        "wingu | the Authority's shared Gateway the sites attach to (gateway routing)");
    VARIABLES.put("WINGU_GATEWAY_NAMESPACE", "wingu-gateway | its namespace");
    VARIABLES.put(
        "WINGU_INGRESS_CLASS", "nginx | ingressClassName of site Ingresses (ingress routing)");
    VARIABLES.put(
        "WINGU_CLUSTER_ISSUER",
        "letsencrypt | cert-manager ClusterIssuer of the sites' certificates (Certificate objects, or named on site Ingresses)");
    VARIABLES.put(
        "WINGU_INGRESS_NAMESPACE",
        "ingress-nginx | namespace of the ingress controller, or of the Gateway implementation's proxy pods (gateway routing), allowed into tenant namespaces");
    VARIABLES.put(
        "WINGU_SITE_IMAGE",
        "wingu/site-web:local | unprivileged web server image that serves each site (scripts/site-image.sh builds it: Debian's nginx, user 10101, port 8080)");
    VARIABLES.put(
        "WINGU_CONTROLLER_SERVICE_ACCOUNT",
        "(none) | <namespace>:<name> of the control plane's ServiceAccount, bound to wingu-tenant-secrets in each tenant namespace");
    VARIABLES.put(
        "WINGU_RECONCILE_WORKERS",
        "8 | tenants reconciled at once (one tenant is never reconciled twice at once)");
    VARIABLES.put(
        "WINGU_RESYNC_SECONDS",
        "300 | period of the full reconcile of every tenant (spread over its first half)");
    VARIABLES.put(
        "WINGU_LEADER_ELECTION",
        "false | elect one reconciling replica with a Lease (the chart turns it on)");
    VARIABLES.put("WINGU_LEASE_NAMESPACE", "default | namespace of that Lease");
    VARIABLES.put(
        "WINGU_AGENT_SERVICE_ACCOUNT",
        "(none) | <namespace>:<name> of the agents' ServiceAccount whose pod-bound tokens (audience wingu) are checked with TokenReview");
    VARIABLES.put(
        "WINGU_AGENT_TOKEN_TTL",
        "86400 | lifetime in seconds (300-2592000) of an agent token minted by POST /api/v1/agent/tokens");
    VARIABLES.put(
        "WINGU_ROLLUP_SECONDS",
        "60 | how often usage samples are rolled up and quota alerts raised");
    VARIABLES.put(
        "WINGU_USAGE_RETENTION_DAYS",
        "400 | days raw usage samples are kept (whole daily partitions are dropped); rollups stay");
    VARIABLES.put(
        "WINGU_DB_RETENTION_DAYS",
        "30 | days a decommissioned site's database is kept before it is dropped");
    VARIABLES.put(
        "WINGU_FETCH_IMAGE",
        "wingu-control-plane:0.1.0 | image of the init container that fetches a site's bundle (holds the templates library)");
    VARIABLES.put(
        "WINGU_INTERNAL_URL",
        "http://wingu.wingu-system.svc:8080 | the control plane's URL as tenant pods reach it (bundle downloads)");
    VARIABLES.put(
        "WINGU_SCORECARD_WEIGHTS",
        "template-current=15,tls=20,content-fresh=15,accessibility=15,within-quota=10,register-reviewed=10,complete-requests=15 | weights of the monthly scorecard's criteria (0-100 each; unnamed ones keep their default), shown beside every score");
    VARIABLES.put(
        "WINGU_TEMPLATE_CATALOG",
        "(the shipped catalogue) | folder of the website template catalogue (_shared/ and one folder per template)");
    VARIABLES.put(
        "WINGU_AUDIT_SIGNING_KEY",
        "(dev: generated) | Ed25519 private key (PKCS#8 PEM file) that signs audit checkpoints; required outside dev mode, kept away from the database");
    VARIABLES.put(
        "WINGU_AUDIT_PUBLIC_KEY",
        "(dev: generated) | its public key (X.509 PEM file), which GET /audit/verify checks checkpoints with");
    VARIABLES.put(
        "WINGU_AUDIT_CHECKPOINT_DIR",
        "(dev: <WINGU_DEV_DIR>/audit-checkpoints) | folder of the signed audit checkpoints (one JSON file each), shared by all replicas; required outside dev mode");
    VARIABLES.put(
        "WINGU_AUDIT_CHECKPOINT_EVERY",
        "1000 | events between two audit checkpoints (1-1000000); one is also signed daily, at start-up and at shutdown");
    VARIABLES.put(
        "WINGU_HTTP_IDLE_TIMEOUT",
        "30 | seconds a connection may stay silent (no byte either way, e.g. a half-sent request that stalls) before the server closes it (1-3600)");
    VARIABLES.put(
        "WINGU_TRUSTED_PROXIES",
        "(none) | comma-separated IP addresses or CIDR blocks of the TLS-terminating proxies whose X-Forwarded-Proto is believed (HSTS, Secure cookies)");
    VARIABLES.put(
        "WINGU_OIDC_ISSUER",
        "(none: password sign-in only) | issuer URL of the Authority's OpenID Connect provider; the console's sign-in page then offers it");
    VARIABLES.put("WINGU_OIDC_CLIENT_ID", "wingu | client id registered at the provider");
    VARIABLES.put("WINGU_OIDC_CLIENT_SECRET", "(none) | its client secret");
    VARIABLES.put("WINGU_OIDC_GROUPS_CLAIM", "groups | ID token claim listing the person's groups");
    VARIABLES.put(
        "WINGU_OIDC_ROLES",
        "wingu-operators=operator,wingu-auditors=auditor | which group makes which role (first match): operator, auditor, or with WINGU_OIDC_INSTITUTION_CLAIM institution-admin or webmaster");
    VARIABLES.put(
        "WINGU_OIDC_INSTITUTION_CLAIM",
        "(none: the provider gives platform roles only) | ID token claim naming the person's institution by its code, for groups mapped to institution-admin or webmaster");
    VARIABLES.put(
        "WINGU_REQUIRE_2FA",
        "false | true: operators and institution admins with a Wingu password must turn on two-factor sign-in before anything else");
    VARIABLES.put(
        "WINGU_PLATFORM_PASSWORD_SIGN_IN",
        "true | false (with WINGU_OIDC_ISSUER): operators and auditors sign in only through the identity provider, except the break-glass WINGU_BOOTSTRAP_OPERATOR");
    VARIABLES.put(
        "WINGU_PUBLIC_URL",
        "http://localhost:<WINGU_HTTP_PORT> | the console's address as browsers reach it; the provider redirects to <it>/login/oidc/callback");
    VARIABLES.put(
        "WINGU_SMTP_HOST",
        "(none: notifications wait in the outbox; dev: a local Mailpit) | SMTP server that notification mails go through");
    VARIABLES.put("WINGU_SMTP_PORT", "25 | its port (1-65535)");
    VARIABLES.put(
        "WINGU_SMTP_FROM",
        "Wingu <no-reply@wingu.localhost> | sender of notification mails (its domain ends every Message-ID)");
    VARIABLES.put("WINGU_SMTP_USERNAME", "(none: no login) | SMTP login");
    VARIABLES.put("WINGU_SMTP_PASSWORD", "(none) | its password");
    VARIABLES.put(
        "WINGU_SMTP_STARTTLS", "OPTIONAL | DISABLED, OPTIONAL or REQUIRED: STARTTLS to the server");
    VARIABLES.put(
        "WINGU_SMTP_RATE",
        "20 | notification mails sent a second at most by each replica (1-10000): a scorecard to every institution goes out at this pace");
    VARIABLES.put(
        "WINGU_SMTP_RETRY_SECONDS",
        "30 | first wait after the SMTP server could not take a mail (1-3600); it doubles each try");
    VARIABLES.put("WINGU_SMTP_RETRY_MAX_SECONDS", "900 | longest wait between two tries (1-86400)");
    VARIABLES.put(
        "WINGU_SMTP_GIVE_UP_HOURS",
        "72 | a mail still undelivered this long after it was written is marked failed (1-720)");
    VARIABLES.put(
        "WINGU_SMTP_LEASE_SECONDS",
        "60 | how long a claimed mail stays with its sender; a replica that died mid-send leaves it to another after this (5-3600)");
    VARIABLES.put(
        "WINGU_SMTP_POLL_MILLIS", "1000 | how often the sender looks for due mails (50-60000)");
    VARIABLES.put(
        "WINGU_CONTROL_PLANE_NAMESPACE",
        "wingu-system | namespace of the control plane's pods, which tenant NetworkPolicies let pods reach on WINGU_HTTP_PORT");
    VARIABLES.put(
        "WINGU_BACKUP_S3_ENDPOINT",
        "(none: backups off) | URL of the S3-compatible store tenant database backups go to, http(s)://host[:port]");
    VARIABLES.put(
        "WINGU_BACKUP_S3_BUCKET", "wingu-backups | bucket of the backups (made when missing)");
    VARIABLES.put("WINGU_BACKUP_S3_REGION", "us-east-1 | region the store expects in signatures");
    VARIABLES.put("WINGU_BACKUP_S3_ACCESS_KEY", "(none) | access key of the store");
    VARIABLES.put("WINGU_BACKUP_S3_SECRET_KEY", "(none) | its secret key");
    VARIABLES.put(
        "WINGU_BACKUP_S3_PATH_STYLE",
        "true | address the bucket in the path (most self-hosted stores) rather than in the host name");
    VARIABLES.put(
        "WINGU_BACKUP_KEY_FILE",
        "(required with an endpoint) | Tink keyset (JSON) of AES256_GCM_HKDF_1MB streaming keys; its primary key encrypts, every key in it decrypts (rotation)");
    VARIABLES.put(
        "WINGU_BACKUP_EVERY_HOURS",
        "24 | the most hours between two scheduled backups of a site's database (each verified by a restore): its plan's interval applies when shorter; 0 turns scheduled backups off");
    VARIABLES.put(
        "WINGU_BACKUP_RETENTION_DAYS",
        "7 | the fewest days every backup is kept, whatever the plan says (plans keep every backup some days, then the last of each week and month longer); a site's newest verified backup and one being restored are never deleted");
    VARIABLES.put(
        "WINGU_BACKUP_CHECK_SECONDS",
        "600 | how often the schedule looks for sites due a backup (a failed one is retried then)");
    VARIABLES.put(
        "WINGU_PG_BIN",
        "(pg_dump on the PATH) | folder of pg_dump and pg_restore, of at least the tenant server's major version (scripts/pg-client.sh installs 18)");
  }

  public static WinguConfig from(Map<String, String> env) {
    Reader r = new Reader(env);
    int httpPort = r.integer("WINGU_HTTP_PORT", 8080, 1, 65535);
    return new WinguConfig(
        r.string("WINGU_HTTP_HOST", "0.0.0.0"),
        httpPort,
        r.jdbcUrl("WINGU_DB_URL"),
        r.string("WINGU_DB_USER", "wingu"),
        r.optional("WINGU_DB_PASSWORD"),
        r.optional("WINGU_DB_MIGRATION_USER"),
        r.optional("WINGU_DB_MIGRATION_PASSWORD"),
        r.integer("WINGU_DB_POOL_SIZE", 10, 1, 200),
        r.file("WINGU_KUBECONFIG"),
        r.string("WINGU_BOOTSTRAP_OPERATOR", "operator"),
        r.optional(
            "WINGU_BOOTSTRAP_PASSWORD", v -> v.length() >= 12, "must be at least 12 characters"),
        r.oneOf("WINGU_LOG_FORMAT", "json", "json", "text"),
        r.file("WINGU_JWT_PRIVATE_KEY"),
        r.file("WINGU_JWT_PUBLIC_KEY"),
        r.integer("WINGU_JWT_TTL", 900, 60, 86400),
        r.integer("WINGU_LOGIN_MAX_FAILURES", 5, 1, 100),
        r.integer("WINGU_LOGIN_LOCKOUT", 900, 1, 86400),
        r.integer("WINGU_LOGIN_RATE", 20, 1, 10000),
        new Provisioning(
            r.jdbcUrl("WINGU_TENANT_DB_URL"),
            r.string("WINGU_TENANT_DB_USER", "postgres"),
            r.optional("WINGU_TENANT_DB_PASSWORD"),
            r.optional("WINGU_TENANT_DB_HOST"),
            r.optional("WINGU_TENANT_DB_PORT")
                .map(v -> r.integer("WINGU_TENANT_DB_PORT", 5432, 1, 65535)),
            r.string("WINGU_TENANT_DB_CIDR", "10.0.0.0/8"),
            r.string("WINGU_INGRESS_CLASS", "nginx"),
            r.string("WINGU_CLUSTER_ISSUER", "letsencrypt"),
            r.oneOf("WINGU_ROUTING", "gateway", "gateway", "ingress"),
            r.string("WINGU_GATEWAY_NAME", "wingu"),
            r.string("WINGU_GATEWAY_NAMESPACE", "wingu-gateway"),
            r.string("WINGU_INGRESS_NAMESPACE", "ingress-nginx"),
            r.string("WINGU_SITE_IMAGE", SiteDeployments.DEFAULT_IMAGE),
            r.serviceAccount("WINGU_CONTROLLER_SERVICE_ACCOUNT"),
            r.integer("WINGU_RESYNC_SECONDS", 300, 5, 86400),
            r.integer("WINGU_RECONCILE_WORKERS", 8, 1, 64),
            r.oneOf("WINGU_LEADER_ELECTION", "false", "true", "false").equals("true"),
            r.string("WINGU_LEASE_NAMESPACE", "default"),
            r.integer("WINGU_DB_RETENTION_DAYS", 30, 0, 3650),
            r.string("WINGU_FETCH_IMAGE", BundleFetch.DEFAULT_IMAGE),
            r.optional(
                    "WINGU_INTERNAL_URL",
                    v -> v.matches("https?://[^/\\s]+/?"),
                    "must be http(s)://host[:port] without a path")
                .orElse(BundleFetch.DEFAULT_CONTROL_PLANE_URL),
            r.string(
                "WINGU_CONTROL_PLANE_NAMESPACE",
                NetworkPolicies.Doors.DEFAULT_CONTROL_PLANE_NAMESPACE),
            httpPort,
            r.optional(
                "WINGU_CLUSTER_DNS_CIDR",
                v -> v.matches("[0-9A-Fa-f:.]+/[0-9]{1,3}"),
                "must be an address block such as 10.96.0.10/32")),
        new Usage(
            r.serviceAccount("WINGU_AGENT_SERVICE_ACCOUNT"),
            r.integer("WINGU_ROLLUP_SECONDS", 60, 1, 86400),
            r.integer("WINGU_USAGE_RETENTION_DAYS", 400, 2, 3650),
            r.integer("WINGU_AGENT_TOKEN_TTL", 86400, 300, 2592000)),
        r.string("WINGU_SCORECARD_WEIGHTS", ""),
        r.optional("WINGU_TEMPLATE_CATALOG").map(v -> r.directory("WINGU_TEMPLATE_CATALOG", v)),
        new AuditCheckpoints(
            r.file("WINGU_AUDIT_SIGNING_KEY"),
            r.file("WINGU_AUDIT_PUBLIC_KEY"),
            r.optional("WINGU_AUDIT_CHECKPOINT_DIR").map(Path::of),
            r.integer("WINGU_AUDIT_CHECKPOINT_EVERY", 1000, 1, 1_000_000)),
        new Http(
            r.integer("WINGU_HTTP_IDLE_TIMEOUT", 30, 1, 3600), r.proxies("WINGU_TRUSTED_PROXIES")),
        new Oidc(
            r.optional(
                "WINGU_OIDC_ISSUER",
                v -> v.matches("https?://[^\\s]+"),
                "must be the provider's issuer URL, http(s)://..."),
            r.string("WINGU_OIDC_CLIENT_ID", "wingu"),
            r.optional("WINGU_OIDC_CLIENT_SECRET"),
            r.string("WINGU_OIDC_GROUPS_CLAIM", "groups"),
            groupRoles(
                r.string("WINGU_OIDC_ROLES", "wingu-operators=operator,wingu-auditors=auditor"),
                r.optional("WINGU_OIDC_INSTITUTION_CLAIM").isPresent()),
            r.optional("WINGU_OIDC_INSTITUTION_CLAIM"),
            r.optional(
                    "WINGU_PUBLIC_URL",
                    v -> v.matches("https?://[^/\\s]+/?"),
                    "must be http(s)://host[:port] without a path")
                .map(v -> v.endsWith("/") ? v.substring(0, v.length() - 1) : v)
                .orElse("http://localhost:" + httpPort)),
        new SignIn(
            r.oneOf("WINGU_REQUIRE_2FA", "false", "true", "false").equals("true"),
            r.oneOf("WINGU_PLATFORM_PASSWORD_SIGN_IN", "true", "true", "false").equals("true")),
        backups(r),
        new Smtp(
            r.optional("WINGU_SMTP_HOST"),
            r.integer("WINGU_SMTP_PORT", 25, 1, 65535),
            r.optional(
                    "WINGU_SMTP_FROM",
                    v -> v.matches("[^\\r\\n]*@[^\\r\\n]*"),
                    "must be one line with an address")
                .orElse("Wingu <no-reply@wingu.localhost>"),
            r.optional("WINGU_SMTP_USERNAME"),
            r.optional("WINGU_SMTP_PASSWORD"),
            r.oneOf("WINGU_SMTP_STARTTLS", "OPTIONAL", "DISABLED", "OPTIONAL", "REQUIRED"),
            r.integer("WINGU_SMTP_RATE", 20, 1, 10000),
            r.integer("WINGU_SMTP_RETRY_SECONDS", 30, 1, 3600),
            r.integer("WINGU_SMTP_RETRY_MAX_SECONDS", 900, 1, 86400),
            r.integer("WINGU_SMTP_GIVE_UP_HOURS", 72, 1, 720),
            r.integer("WINGU_SMTP_LEASE_SECONDS", 60, 5, 3600),
            r.integer("WINGU_SMTP_POLL_MILLIS", 1000, 50, 60000)));
  }

  /** {@code group=role,group=role}, in order; only the platform roles may be given. */
  private static Map<String, String> groupRoles(String text, boolean institutionClaim) {
    Map<String, String> roles = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      String[] parts = pair.trim().split("=", 2);
      boolean platform =
          parts.length == 2 && (parts[1].equals("operator") || parts[1].equals("auditor"));
      boolean ofInstitution =
          parts.length == 2
              && (parts[1].equals("institution-admin") || parts[1].equals("webmaster"));
      if (parts.length != 2 || parts[0].isBlank() || !(platform || ofInstitution)) {
        throw new ConfigException(
            "WINGU_OIDC_ROLES: '"
                + pair.trim()
                + "' must be <group>=operator, auditor, institution-admin or webmaster,"
                + " comma-separated");
      }
      if (ofInstitution && !institutionClaim) {
        throw new ConfigException(
            "WINGU_OIDC_ROLES: '"
                + pair.trim()
                + "' gives an institution role: set WINGU_OIDC_INSTITUTION_CLAIM, the claim that"
                + " names the person's institution by its code");
      }
      roles.put(parts[0].trim(), parts[1]);
    }
    return java.util.Collections.unmodifiableMap(roles);
  }

  private static Backups backups(Reader r) {
    Optional<String> endpoint =
        r.optional(
            "WINGU_BACKUP_S3_ENDPOINT",
            v -> v.matches("https?://[^/\\s]+/?"),
            "must be http(s)://host[:port] without a path");
    Optional<Path> keyFile = r.file("WINGU_BACKUP_KEY_FILE");
    if (endpoint.isPresent() && keyFile.isEmpty()) {
      throw new ConfigException(
          "WINGU_BACKUP_KEY_FILE is not set: backups to WINGU_BACKUP_S3_ENDPOINT are encrypted with"
              + " the Tink keyset it names");
    }
    return new Backups(
        endpoint,
        r.string("WINGU_BACKUP_S3_BUCKET", "wingu-backups"),
        r.string("WINGU_BACKUP_S3_REGION", "us-east-1"),
        r.optional("WINGU_BACKUP_S3_ACCESS_KEY"),
        r.optional("WINGU_BACKUP_S3_SECRET_KEY"),
        r.oneOf("WINGU_BACKUP_S3_PATH_STYLE", "true", "true", "false").equals("true"),
        keyFile,
        r.optional("WINGU_PG_BIN").map(v -> r.directory("WINGU_PG_BIN", v)),
        r.integer("WINGU_BACKUP_EVERY_HOURS", 24, 0, 24 * 31),
        r.integer("WINGU_BACKUP_RETENTION_DAYS", 7, 1, 3650),
        r.integer("WINGU_BACKUP_CHECK_SECONDS", 600, 10, 86400));
  }

  /** A copy with some variables changed, as if the environment had said so. */
  public static WinguConfig from(Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> merged = new java.util.HashMap<>(env);
    merged.putAll(overrides);
    return from(merged);
  }

  /** Reads one variable at a time and explains a bad one in a sentence naming it. */
  private record Reader(Map<String, String> env) {

    Optional<String> optional(String name) {
      String v = env.get(name);
      return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** The variable when set, refused unless {@code ok} holds: it must be as {@code rule} says. */
    Optional<String> optional(String name, Predicate<String> ok, String rule) {
      return optional(name).map(v -> check(name, v, ok.test(v), rule));
    }

    Optional<String> jdbcUrl(String name) {
      return optional(
          name, v -> v.startsWith("jdbc:postgresql://"), "must start with jdbc:postgresql://");
    }

    Optional<String> serviceAccount(String name) {
      return optional(name, v -> v.matches("[a-z0-9-]+:[a-z0-9.-]+"), "must be <namespace>:<name>");
    }

    Optional<Path> file(String name) {
      return optional(name).map(v -> existingFile(name, v));
    }

    String string(String name, String fallback) {
      return optional(name).orElse(fallback);
    }

    int integer(String name, int fallback, int min, int max) {
      return optional(name)
          .map(
              parse(
                  name,
                  v -> {
                    int n = Integer.parseInt(v);
                    if (n < min || n > max) {
                      throw new NumberFormatException();
                    }
                    return n;
                  },
                  "a whole number from " + min + " to " + max))
          .orElse(fallback);
    }

    String oneOf(String name, String fallback, String... allowed) {
      String v = string(name, fallback);
      for (String a : allowed) {
        if (a.equals(v)) {
          return v;
        }
      }
      throw new ConfigException(
          name + "='" + v + "' is not allowed: use one of " + String.join(", ", allowed));
    }

    java.util.List<String> proxies(String name) {
      java.util.List<String> entries =
          optional(name)
              .map(
                  v ->
                      java.util.Arrays.stream(v.split(","))
                          .map(String::trim)
                          .filter(e -> !e.isEmpty())
                          .toList())
              .orElse(java.util.List.of());
      for (String entry : entries) {
        try {
          SecureTransport.rule(entry);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(name + ": " + e.getMessage());
        }
      }
      return entries;
    }

    Path existingFile(String name, String v) {
      Path p = Path.of(v);
      if (!Files.isReadable(p)) {
        throw new ConfigException(name + "='" + v + "' is not a readable file");
      }
      return p;
    }

    Path directory(String name, String v) {
      Path p = Path.of(v);
      if (!Files.isDirectory(p)) {
        throw new ConfigException(name + "='" + v + "' is not a folder");
      }
      return p;
    }

    String check(String name, String v, boolean ok, String rule) {
      if (!ok) {
        throw new ConfigException(name + " " + rule + " (got '" + redact(name, v) + "')");
      }
      return v;
    }

    private static String redact(String name, String v) {
      return name.contains("PASSWORD") || name.contains("SECRET") ? "***" : v;
    }

    private <T> Function<String, T> parse(
        String name, Function<String, T> parser, String expected) {
      return v -> {
        try {
          return parser.apply(v);
        } catch (RuntimeException e) {
          throw new ConfigException(name + "='" + v + "' is not " + expected);
        }
      };
    }
  }
}
