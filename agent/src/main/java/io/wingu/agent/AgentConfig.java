package io.wingu.agent;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the agent, read once from environment variables.
 *
 * @param reportUrl where reports are POSTed: {@code WINGU_AGENT_URL} + {@code
 *     /api/v1/agent/reports}
 * @param token a fixed bearer token, or empty when {@link #tokenFile} is used
 * @param tokenFile a token file re-read before every send (a projected, rotating ServiceAccount
 *     token)
 * @param kubeApi the Kubernetes API server, empty when pods cannot be named (outside a cluster)
 */
public record AgentConfig(
    URI reportUrl,
    Optional<String> token,
    Optional<Path> tokenFile,
    String nodeName,
    Duration interval,
    Duration requestTimeout,
    Path procRoot,
    Path cgroupRoot,
    Path fsPath,
    Path bufferDir,
    int bufferMaxReports,
    long bufferMaxBytes,
    Optional<URI> kubeApi,
    Path kubeTokenFile,
    Path kubeCaFile) {

  static final String REPORTS_PATH = "/api/v1/agent/reports";
  static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  /**
   * Reads the configuration from {@code env}; throws {@link ConfigException} naming the first bad
   * variable.
   */
  public static AgentConfig fromEnv(Map<String, String> env) {
    Vars vars = new Vars(env);
    Optional<URI> base = vars.httpUrl("WINGU_AGENT_URL");
    if (base.isEmpty()) {
      throw new ConfigException(
          "WINGU_AGENT_URL",
          "required: the control plane's base URL, e.g. http://wingu-control-plane:8080");
    }
    Optional<String> token = vars.text("WINGU_AGENT_TOKEN");
    Optional<Path> tokenFile = vars.optionalPath("WINGU_AGENT_TOKEN_FILE");
    if (token.isPresent() == tokenFile.isPresent()) {
      throw new ConfigException(
          token.isPresent() ? "WINGU_AGENT_TOKEN_FILE" : "WINGU_AGENT_TOKEN",
          "set exactly one of WINGU_AGENT_TOKEN and WINGU_AGENT_TOKEN_FILE");
    }
    return new AgentConfig(
        URI.create(stripTrailingSlash(base.get().toString()) + REPORTS_PATH),
        token,
        tokenFile,
        vars.text("WINGU_AGENT_NODE_NAME").isPresent()
            ? vars.text("WINGU_AGENT_NODE_NAME").get()
            : hostName(),
        vars.seconds("WINGU_AGENT_INTERVAL", 15, 1),
        vars.seconds("WINGU_AGENT_TIMEOUT", 10, 1),
        vars.path("WINGU_AGENT_PROC_ROOT", "/proc"),
        vars.path("WINGU_AGENT_CGROUP_ROOT", "/sys/fs/cgroup"),
        vars.path("WINGU_AGENT_FS_PATH", "/"),
        vars.path("WINGU_AGENT_BUFFER_DIR", "/var/lib/wingu-agent"),
        (int) vars.positive("WINGU_AGENT_BUFFER_MAX_REPORTS", 5760, Integer.MAX_VALUE),
        vars.positive("WINGU_AGENT_BUFFER_MAX_BYTES", 64L * 1024 * 1024, Long.MAX_VALUE),
        kubeApi(vars, env),
        vars.path("WINGU_AGENT_KUBE_TOKEN_FILE", SERVICE_ACCOUNT_DIR + "/token"),
        vars.path("WINGU_AGENT_KUBE_CA_FILE", SERVICE_ACCOUNT_DIR + "/ca.crt"));
  }

  /** An explicit URL, else the in-cluster address Kubernetes puts in every pod's environment. */
  private static Optional<URI> kubeApi(Vars vars, Map<String, String> env) {
    Optional<URI> explicit = vars.httpUrl("WINGU_AGENT_KUBE_API");
    if (explicit.isPresent()) {
      return explicit;
    }
    String host = env.get("KUBERNETES_SERVICE_HOST");
    if (host == null || host.isBlank()) {
      return Optional.empty();
    }
    String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
    String bracketed = host.contains(":") ? "[" + host + "]" : host;
    return Optional.of(URI.create("https://" + bracketed + ":" + port));
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      throw new ConfigException(
          "WINGU_AGENT_NODE_NAME", "required: the host name cannot be resolved");
    }
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Typed reads of the variables; blank counts as unset. */
  private record Vars(Map<String, String> env) {

    Optional<String> text(String name) {
      String value = env.get(name);
      return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    Optional<Path> optionalPath(String name) {
      Optional<String> value = text(name);
      return value.isPresent() ? Optional.of(Path.of(value.get())) : Optional.empty();
    }

    Path path(String name, String fallback) {
      return Path.of(text(name).orElse(fallback));
    }

    Optional<URI> httpUrl(String name) {
      Optional<String> value = text(name);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      try {
        URI uri = new URI(value.get());
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            || uri.getHost() == null) {
          throw new ConfigException(
              name, "must be an http:// or https:// URL with a host, got \"" + value.get() + "\"");
        }
        return Optional.of(uri);
      } catch (URISyntaxException e) {
        throw new ConfigException(name, "not a URL: \"" + value.get() + "\"");
      }
    }

    /** Decimal seconds, so tests can run faster than production without a separate unit. */
    Duration seconds(String name, double fallback, double minimum) {
      Optional<String> value = text(name);
      double seconds = fallback;
      if (value.isPresent()) {
        try {
          seconds = Double.parseDouble(value.get());
        } catch (NumberFormatException e) {
          seconds = Double.NaN;
        }
        if (!(seconds >= minimum && seconds <= 86_400)) {
          throw new ConfigException(
              name,
              "must be a number of seconds from "
                  + minimum
                  + " to 86400, got \""
                  + value.get()
                  + "\"");
        }
      }
      return Duration.ofMillis(Math.round(seconds * 1000));
    }

    long positive(String name, long fallback, long maximum) {
      Optional<String> value = text(name);
      if (value.isEmpty()) {
        return fallback;
      }
      try {
        long number = Long.parseLong(value.get());
        if (number >= 1 && number <= maximum) {
          return number;
        }
      } catch (NumberFormatException e) {
        // reported below with the same message as an out-of-range number
      }
      throw new ConfigException(
          name, "must be a whole number from 1 to " + maximum + ", got \"" + value.get() + "\"");
    }
  }
}
