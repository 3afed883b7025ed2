package io.wingu.controlplane.app;

import io.wingu.controlplane.provisioning.BundleFetch;
import io.wingu.controlplane.provisioning.NetworkPolicies;
import io.wingu.controlplane.provisioning.SiteDeployments;
import java.nio.charset.StandardCharsets;
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

  /**
   * Name, default and meaning of each variable, in the order of {@code variables.txt} beside this
   * class; README's configuration table mirrors it.
   */
  public static final Map<String, String> VARIABLES = variables();

  private static Map<String, String> variables() {
    Map<String, String> variables = new LinkedHashMap<>();
    try (var in = WinguConfig.class.getResourceAsStream("variables.txt")) {
      if (in == null) {
        throw new IllegalStateException("variables.txt is missing beside WinguConfig");
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        int eq = line.indexOf(" = ");
        if (!line.startsWith("#") && eq > 0) {
          variables.put(line.substring(0, eq), line.substring(eq + 3));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return java.util.Collections.unmodifiableMap(variables);
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
