package io.wingu.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged agent started as its own process through its launcher, bin/wingu-agent. */
public final class AgentProcess implements AutoCloseable {

  private final Process process;
  private final Path stderr;

  private AgentProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
  }

  /**
   * Starts the launcher with exactly these WINGU_AGENT_* variables; stderr goes to {@code stderr}.
   */
  public static AgentProcess start(Map<String, String> agentEnv, Path stderr) throws IOException {
    String launcher = System.getProperty("wingu.agent.launcher", "bin/wingu-agent");
    ProcessBuilder builder = new ProcessBuilder(launcher);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("WINGU_AGENT") || name.startsWith("KUBERNETES_"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("WINGU_AGENT_JAR", System.getProperty("wingu.agent.jar", "target/wingu-agent.jar"));
    env.putAll(agentEnv);
    builder
        .redirectErrorStream(false)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    return new AgentProcess(builder.start(), stderr);
  }

  public long pid() {
    return process.pid();
  }

  /** Waits for the process to end by itself (bad configuration) and gives its exit code. */
  public int exitCode(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the agent is still running after " + seconds + " s");
    }
    return process.exitValue();
  }

  public String stderr() throws IOException {
    return Files.readString(stderr);
  }

  /** SIGTERM, as the kubelet stops a pod, then waits for the exit. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      // try-with-resources must not throw InterruptedException: kill, keep the interrupt
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
