package io.wingu.agent;

import io.wingu.agent.buffer.ReportBuffer;
import io.wingu.agent.buffer.SeqStore;
import io.wingu.agent.collect.NodeCollector;
import io.wingu.agent.collect.NodeUsage;
import io.wingu.agent.collect.PodCollector;
import io.wingu.agent.collect.PodSample;
import io.wingu.agent.pods.PodDirectory;
import io.wingu.agent.pods.PodIdentity;
import io.wingu.agent.report.PodReport;
import io.wingu.agent.report.Report;
import io.wingu.agent.report.ReportJson;
import io.wingu.agent.report.Shipper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's two threads: the collector, which every interval writes a report to the buffer, and
 * the shipper, which sends buffered reports so a slow or absent control plane never delays a
 * collection.
 */
final class Agent implements AutoCloseable {

  private final String nodeName;
  private final long intervalMillis;
  private final NodeCollector node;
  private final PodCollector pods;
  private final PodDirectory directory;
  private final SeqStore seqs;
  private final ReportBuffer buffer;
  private final Shipper shipper;
  private final ScheduledExecutorService collector =
      Executors.newSingleThreadScheduledExecutor(named("collector"));
  private final ExecutorService shipping = Executors.newSingleThreadExecutor(named("shipper"));

  /** At most one drain waits behind the running one: a new report joins whichever comes next. */
  private final AtomicBoolean drainQueued = new AtomicBoolean();

  Agent(
      String nodeName,
      long intervalMillis,
      NodeCollector node,
      PodCollector pods,
      PodDirectory directory,
      SeqStore seqs,
      ReportBuffer buffer,
      Shipper shipper) {
    this.nodeName = nodeName;
    this.intervalMillis = intervalMillis;
    this.node = node;
    this.pods = pods;
    this.directory = directory;
    this.seqs = seqs;
    this.buffer = buffer;
    this.shipper = shipper;
  }

  void start() {
    // CPU figures are rates: a first, discarded sample gives the first report its starting point
    collector.execute(
        new Runnable() {
          @Override
          public void run() {
            prime();
          }
        });
    collector.scheduleAtFixedRate(
        new Runnable() {
          @Override
          public void run() {
            collectOnce();
          }
        },
        intervalMillis,
        intervalMillis,
        TimeUnit.MILLISECONDS);
    ship(); // reports left from before a restart
  }

  private void prime() {
    try {
      node.collect();
      pods.collect();
    } catch (IOException | RuntimeException e) {
      Log.warn("first sample failed: " + e);
    }
  }

  /** Never throws: an exception would cancel the schedule. */
  private void collectOnce() {
    try {
      Instant collectedAt = Instant.now();
      NodeUsage nodeUsage = node.collect();
      List<PodSample> samples = pods.collect();
      List<String> uids = new ArrayList<>(samples.size());
      for (PodSample sample : samples) {
        uids.add(sample.uid());
      }
      Map<String, PodIdentity> names = directory.resolve(uids);
      List<PodReport> podReports = new ArrayList<>(samples.size());
      for (PodSample sample : samples) {
        PodIdentity pod = names.get(sample.uid());
        if (pod != null) {
          podReports.add(new PodReport(pod, sample));
        }
      }
      long seq = seqs.next();
      buffer.add(
          seq, ReportJson.write(new Report(nodeName, seq, collectedAt, nodeUsage, podReports)));
      ship();
    } catch (IOException | RuntimeException e) {
      Log.error("collection failed: " + e);
    }
  }

  private void ship() {
    if (drainQueued.compareAndSet(false, true)) {
      shipping.execute(
          new Runnable() {
            @Override
            public void run() {
              drainQueued.set(false);
              try {
                shipper.drain();
              } catch (IOException | RuntimeException e) {
                Log.error("sending failed: " + e);
              }
            }
          });
    }
  }

  /** Stops both threads; an unsent report stays in the buffer for the next start. */
  @Override
  public void close() {
    collector.shutdownNow();
    shipping.shutdownNow();
    try {
      collector.awaitTermination(5, TimeUnit.SECONDS);
      shipping.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory named(String name) {
    return new ThreadFactory() {
      @Override
      public Thread newThread(Runnable runnable) {
        return new Thread(runnable, name);
      }
    };
  }
}
