package io.wingu.agent.report;

import io.wingu.agent.Log;
import io.wingu.agent.buffer.ReportBuffer;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * Sends buffered reports, oldest first, so the control plane receives every seq in order: at least
 * once (it drops repeats by node and seq). Stops at the first report it must retry; the next
 * collection calls it again. Logs the start and the end of an outage, not every failed attempt.
 */
public final class Shipper {

  private final ReportBuffer buffer;
  private final ReportSender sender;
  private boolean failing;

  public Shipper(ReportBuffer buffer, ReportSender sender) {
    this.buffer = buffer;
    this.sender = sender;
  }

  /** Called by one thread at a time. */
  public void drain() throws IOException {
    for (OptionalLong oldest = buffer.oldest();
        oldest.isPresent() && !Thread.currentThread().isInterrupted();
        oldest = buffer.oldest()) {
      long seq = oldest.getAsLong();
      byte[] json = buffer.read(seq);
      if (json == null) {
        buffer.remove(seq); // dropped to make room while we were sending
        continue;
      }
      ReportSender.Result result = sender.send(json);
      switch (result.outcome()) {
        case ACCEPTED -> {
          buffer.remove(seq);
          if (failing) {
            failing = false;
            Log.info(
                "control plane reachable again: sending " + buffer.size() + " buffered reports");
          }
        }
        case REFUSED -> {
          buffer.remove(seq);
          Log.error("report seq " + seq + " refused (" + result.detail() + "): dropped");
        }
        case RETRY -> {
          if (!failing) {
            failing = true;
            Log.warn(
                "control plane unavailable ("
                    + result.detail()
                    + "): keeping reports on disk ("
                    + buffer.size()
                    + " now), retrying every collection");
          }
          return;
        }
      }
    }
  }
}
