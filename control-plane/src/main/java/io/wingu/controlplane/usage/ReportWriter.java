package io.wingu.controlplane.usage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.wingu.controlplane.app.Database;
import java.io.IOException;
import java.io.StringReader;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.postgresql.PGConnection;

/**
 * Writes reports in batches (group commit): reports arriving together share one transaction —
 * dedupe by (node, seq), COPY of the pod samples — and each caller's future completes only after
 * that commit, so a 202 means the samples are stored.
 */
final class ReportWriter {

  static final int MAX_BATCH_REPORTS = 500;
  static final long FLUSH_MILLIS = 20;

  /** What one report became: stored, or a replay of one stored before. */
  enum Outcome {
    STORED,
    DUPLICATE
  }

  private record Pending(AgentReport report, Promise<Outcome> done) {}

  private final Vertx vertx;
  private final Database db;
  private List<Pending> batch = new ArrayList<>();
  private boolean flushScheduled;

  ReportWriter(Vertx vertx, Database db) {
    this.vertx = vertx;
    this.db = db;
  }

  synchronized Future<Outcome> submit(AgentReport report) {
    Promise<Outcome> done = Promise.promise();
    batch.add(new Pending(report, done));
    if (batch.size() >= MAX_BATCH_REPORTS) {
      flush();
    } else if (!flushScheduled) {
      flushScheduled = true;
      vertx.setTimer(FLUSH_MILLIS, id -> flush());
    }
    return done.future();
  }

  private synchronized void flush() {
    flushScheduled = false;
    if (batch.isEmpty()) {
      return;
    }
    List<Pending> writing = batch;
    batch = new ArrayList<>();
    db.inTransaction(h -> write(h, writing))
        .onComplete(
            ar -> {
              for (Pending p : writing) {
                if (ar.failed()) {
                  p.done().fail(ar.cause());
                } else {
                  p.done()
                      .complete(
                          ar.result().contains(p.report()) ? Outcome.STORED : Outcome.DUPLICATE);
                }
              }
            });
  }

  /** Stores the batch; returns the reports that were new. */
  private static Set<AgentReport> write(Handle h, List<Pending> pending) throws SQLException {
    Set<AgentReport> fresh = new HashSet<>();
    for (Pending p : pending) {
      AgentReport r = p.report();
      int inserted =
          h.createUpdate(
                  "INSERT INTO node_report (node_name, seq, collected_at, cpu_capacity_millis,"
                      + " cpu_used_millis, memory_capacity_bytes, memory_used_bytes, fs_capacity_bytes,"
                      + " fs_used_bytes, pods) VALUES (:nodeName, :seq, :collectedAt,"
                      + " :node.cpuCapacityMillis, :node.cpuUsedMillis, :node.memoryCapacityBytes,"
                      + " :node.memoryUsedBytes, :node.fsCapacityBytes, :node.fsUsedBytes, :pods)"
                      + " ON CONFLICT DO NOTHING")
              .bind("nodeName", r.nodeName())
              .bind("seq", r.seq())
              .bind("collectedAt", r.collectedAt())
              .bindMethods("node", r.node())
              .bind("pods", r.pods().size())
              .execute();
      if (inserted == 1) {
        fresh.add(r);
      }
    }
    StringBuilder rows = new StringBuilder();
    Set<Instant> hours = new HashSet<>();
    for (AgentReport r : fresh) {
      hours.add(r.collectedAt().truncatedTo(ChronoUnit.HOURS));
      String at = r.collectedAt().toString();
      for (AgentReport.Pod p : r.pods()) {
        rows.append(at)
            .append('\t')
            .append(copyText(r.nodeName()))
            .append('\t')
            .append(copyText(p.namespace()))
            .append('\t')
            .append(copyText(p.name()))
            .append('\t')
            .append(copyText(p.uid()))
            .append('\t')
            .append(p.cpuMillis())
            .append('\t')
            .append(p.memoryBytes())
            .append('\t')
            .append(p.netRxBytes())
            .append('\t')
            .append(p.netTxBytes())
            .append('\n');
      }
    }
    if (!rows.isEmpty()) {
      // COPY is PostgreSQL's own protocol: the driver's API, on the handle's connection
      try {
        h.getConnection()
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(
                "COPY usage_sample (collected_at, node_name, namespace,"
                    + " pod_name, pod_uid, cpu_millis, memory_bytes, net_rx_bytes, net_tx_bytes) FROM STDIN",
                new StringReader(rows.toString()));
      } catch (IOException e) {
        throw new SQLException("COPY of usage samples failed", e);
      }
    }
    if (!hours.isEmpty()) {
      PreparedBatch dirty =
          h.prepareBatch(
              "INSERT INTO usage_rollup_dirty (hour) VALUES (:hour) ON CONFLICT DO NOTHING");
      hours.forEach(hour -> dirty.bind("hour", hour).add());
      dirty.execute();
    }
    return fresh;
  }

  /** COPY text format: backslash, tab and newline escaped. */
  static String copyText(String s) {
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }
}
