package io.wingu.agent.report;

import io.wingu.agent.http.SimpleHttp;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** POSTs one report and says what the control plane made of it. */
public final class ReportSender {

  /** What to do with a report after one attempt. */
  public enum Outcome {
    /** 2xx (202 is the contract's answer): done. */
    ACCEPTED,
    /**
     * 4xx other than 429: this report will never be taken; drop it rather than block the ones after
     * it.
     */
    REFUSED,
    /** No answer, 5xx, 429 or anything unexpected: keep it and try again later. */
    RETRY
  }

  /** An attempt's outcome and, for the log, why. */
  public record Result(Outcome outcome, String detail) {}

  private final SimpleHttp http;
  private final URI reportUrl;
  private final BearerToken token;

  public ReportSender(URI reportUrl, BearerToken token, Duration timeout) {
    this.http = new SimpleHttp(timeout, null);
    this.reportUrl = reportUrl;
    this.token = token;
  }

  public Result send(byte[] json) {
    SimpleHttp.Response response;
    try {
      response =
          http.post(
              reportUrl,
              Map.of(
                  "Content-Type", "application/json", "Authorization", "Bearer " + token.value()),
              json);
    } catch (IOException e) {
      return new Result(
          Outcome.RETRY,
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    int status = response.status();
    String detail = "HTTP " + status + summary(new String(response.body(), StandardCharsets.UTF_8));
    if (status >= 200 && status < 300) {
      return new Result(Outcome.ACCEPTED, detail);
    }
    if (status >= 400 && status < 500 && status != 429) {
      return new Result(Outcome.REFUSED, detail);
    }
    return new Result(Outcome.RETRY, detail);
  }

  /**
   * The start of an error body (problem+json detail), enough to tell why without flooding the log.
   */
  private static String summary(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return ": " + (oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine);
  }
}
