package io.wingu.agent;

import io.wingu.agent.buffer.ReportBuffer;
import io.wingu.agent.buffer.SeqStore;
import io.wingu.agent.collect.NodeCollector;
import io.wingu.agent.collect.PodCollector;
import io.wingu.agent.pods.KubernetesPodLister;
import io.wingu.agent.pods.PodDirectory;
import io.wingu.agent.pods.PodLister;
import io.wingu.agent.report.BearerToken;
import io.wingu.agent.report.ReportSender;
import io.wingu.agent.report.Shipper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Reads the configuration, wires the agent, runs until SIGTERM. Exit 2: bad configuration; 1:
 * cannot start.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    AgentConfig config;
    try {
      config = AgentConfig.fromEnv(System.getenv());
      checkPaths(config);
    } catch (ConfigException e) {
      System.err.println("wingu-agent: " + e.getMessage());
      System.exit(2);
      return;
    }
    Agent agent;
    try {
      agent = wire(config);
    } catch (IOException | RuntimeException e) {
      System.err.println("wingu-agent: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                new Runnable() {
                  @Override
                  public void run() {
                    agent.close();
                  }
                },
                "shutdown"));
    agent.start();
    Log.info(
        "wingu-agent reporting node "
            + config.nodeName()
            + " every "
            + config.interval().toMillis()
            + " ms to "
            + config.reportUrl());
  }

  /**
   * Paths the agent cannot work without: a wrong one is a configuration error, not a failure every
   * interval.
   */
  private static void checkPaths(AgentConfig config) {
    if (!Files.isReadable(config.procRoot().resolve("stat"))) {
      throw new ConfigException(
          "WINGU_AGENT_PROC_ROOT", "no readable stat file in " + config.procRoot());
    }
    if (!Files.exists(config.fsPath())) {
      throw new ConfigException("WINGU_AGENT_FS_PATH", "no such path: " + config.fsPath());
    }
    if (!Files.isDirectory(config.cgroupRoot())) {
      throw new ConfigException(
          "WINGU_AGENT_CGROUP_ROOT", "no such directory: " + config.cgroupRoot());
    }
  }

  static Agent wire(AgentConfig config) throws IOException {
    Path buffer = config.bufferDir();
    ReportBuffer reports =
        ReportBuffer.open(
            buffer.resolve("reports"), config.bufferMaxReports(), config.bufferMaxBytes());
    SeqStore seqs = SeqStore.open(buffer, reports.nextSeqAtLeast(), System.currentTimeMillis());
    BearerToken token =
        config.tokenFile().isPresent()
            ? BearerToken.file(config.tokenFile().get())
            : BearerToken.fixed(config.token().orElseThrow());
    Shipper shipper =
        new Shipper(reports, new ReportSender(config.reportUrl(), token, config.requestTimeout()));
    return new Agent(
        config.nodeName(),
        config.interval().toMillis(),
        new NodeCollector(config.procRoot(), config.fsPath()),
        new PodCollector(config.cgroupRoot(), config.procRoot(), new SystemNanoClock()),
        new PodDirectory(podLister(config)),
        seqs,
        reports,
        shipper);
  }

  /**
   * System.nanoTime, without a method reference: the first lambda of a run costs ~100 JDK classes.
   */
  private static final class SystemNanoClock implements LongSupplier {
    @Override
    public long getAsLong() {
      return System.nanoTime();
    }
  }

  private static PodLister podLister(AgentConfig config) {
    if (config.kubeApi().isEmpty()) {
      Log.warn(
          "no Kubernetes API (not in a cluster, WINGU_AGENT_KUBE_API unset): pods cannot be named,"
              + " reports carry node figures only");
      return PodLister.NONE;
    }
    return new KubernetesPodLister(
        config.kubeApi().get(),
        config.nodeName(),
        config.kubeTokenFile(),
        config.kubeCaFile(),
        config.requestTimeout());
  }
}
