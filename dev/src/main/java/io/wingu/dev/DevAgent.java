package io.wingu.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Dev mode's node agent for this machine: the real agent process (agent/bin/wingu-agent), with a
 * token the control plane mints for this host's node name, so usage shows up with no setup.
 */
final class DevAgent implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;

  private DevAgent(Process process) {
    this.process = process;
  }

  /** Starts the agent if it is built; null (with a line saying why) when it is not. */
  static DevAgent start(URI controlPlane, String operator, String password, Path devDir)
      throws IOException {
    Path launcher = Path.of("agent", "bin", "wingu-agent").toAbsolutePath();
    Path jar = Path.of("agent", "target", "wingu-agent.jar").toAbsolutePath();
    if (!Files.isExecutable(launcher) || !Files.exists(jar)) {
      System.out.println("wingu dev: no node agent (build it with: mvn -pl agent -am package)");
      return null;
    }
    String node = nodeName();
    String token = mintToken(controlPlane, operator, password, node);
    Path buffer = Files.createDirectories(devDir.resolve("agent"));
    ProcessBuilder pb =
        new ProcessBuilder(launcher.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(devDir.resolve("agent.log").toFile()));
    pb.environment().put("WINGU_AGENT_JAR", jar.toString());
    pb.environment().put("WINGU_AGENT_URL", controlPlane.toString());
    pb.environment().put("WINGU_AGENT_TOKEN", token);
    pb.environment().put("WINGU_AGENT_NODE_NAME", node);
    pb.environment().put("WINGU_AGENT_BUFFER_DIR", buffer.toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    System.out.println(
        "wingu dev: node agent for "
            + node
            + " reports every 15 s (log: "
            + devDir.resolve("agent.log")
            + ")");
    return new DevAgent(pb.start());
  }

  /** This host's name as a Kubernetes node name would be. */
  static String nodeName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    String name =
        host.toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9.-]", "-")
            .replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
    return name.isEmpty() ? "localhost" : name;
  }

  private static String mintToken(URI base, String operator, String password, String node)
      throws IOException {
    HttpClient http = HttpClient.newHttpClient();
    try {
      String login =
          http.send(
                  HttpRequest.newBuilder(base.resolve("/api/v1/auth/login"))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              JSON.writeValueAsString(
                                  Map.of("username", operator, "password", password))))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      String access = JSON.readTree(login).path("accessToken").asText();
      HttpResponse<String> minted =
          http.send(
              HttpRequest.newBuilder(base.resolve("/api/v1/agent/tokens"))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + access)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          JSON.writeValueAsString(Map.of("nodeName", node))))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (minted.statusCode() != 201) {
        throw new IOException("the control plane did not mint an agent token: " + minted.body());
      }
      return JSON.readTree(minted.body()).path("accessToken").asText();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while minting the agent token", e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
  }
}
