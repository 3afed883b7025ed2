package io.wingu.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.agent.buffer.ReportBuffer;
import io.wingu.agent.testing.FakeControlPlane;
import io.wingu.agent.testing.FakeControlPlane.Received;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShipperTest {

  @TempDir Path dir;

  private ReportBuffer buffer() throws Exception {
    ReportBuffer buffer = ReportBuffer.open(dir.resolve("reports"), 100, 1 << 20);
    for (long seq = 1; seq <= 3; seq++) {
      buffer.add(seq, ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
    }
    return buffer;
  }

  private static Shipper shipper(ReportBuffer buffer, String url, BearerToken token) {
    // a generous timeout: on a busy machine the local server may take seconds to answer, and a
    // timed-out report is kept for a retry, which these tests would read as a refusal
    return new Shipper(
        buffer,
        new ReportSender(URI.create(url + "/api/v1/agent/reports"), token, Duration.ofSeconds(30)));
  }

  @Test
  void sendsOldestFirstWithTheBearerTokenAndEmptiesTheBuffer() throws Exception {
    try (FakeControlPlane controlPlane = new FakeControlPlane()) {
      ReportBuffer buffer = buffer();
      Path tokenFile = Files.writeString(dir.resolve("token"), "projected-token\n");

      shipper(buffer, controlPlane.url(), BearerToken.file(tokenFile)).drain();

      for (long seq = 1; seq <= 3; seq++) {
        Received report = controlPlane.nextReport(5);
        assertThat(report.seq()).isEqualTo(seq);
        assertThat(report.authorization()).isEqualTo("Bearer projected-token");
        assertThat(report.contentType()).isEqualTo("application/json");
      }
      assertThat(buffer.size()).isZero();
    }
  }

  @Test
  void keepsEverythingFromTheFirstRetryableAnswerOn() throws Exception {
    for (int status : new int[] {500, 503, 429}) {
      try (FakeControlPlane controlPlane = new FakeControlPlane()) {
        ReportBuffer buffer = buffer();
        controlPlane.answer(report -> report.get("seq").asLong() == 2 ? status : 202);

        shipper(buffer, controlPlane.url(), BearerToken.fixed("t")).drain();

        assertThat(buffer.oldest()).as("after HTTP %d", status).isEqualTo(OptionalLong.of(2));
        assertThat(buffer.size()).isEqualTo(2);
        buffer.remove(2);
        buffer.remove(3);
      }
    }
  }

  @Test
  void dropsAReportRefusedWithA4xxAndGoesOn() throws Exception {
    try (FakeControlPlane controlPlane = new FakeControlPlane()) {
      ReportBuffer buffer = buffer();
      controlPlane.answer(report -> report.get("seq").asLong() == 2 ? 400 : 202);

      shipper(buffer, controlPlane.url(), BearerToken.fixed("t")).drain();

      assertThat(buffer.size()).isZero();
      assertThat(controlPlane.nextReport(5).seq()).isEqualTo(1);
      assertThat(controlPlane.nextReport(5).answeredStatus()).isEqualTo(400);
      assertThat(controlPlane.nextReport(5).seq()).isEqualTo(3);
    }
  }

  @Test
  void keepsEverythingWhenNothingListens() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ReportBuffer buffer = buffer();

    shipper(buffer, "http://127.0.0.1:" + closedPort, BearerToken.fixed("t")).drain();

    assertThat(buffer.size()).isEqualTo(3);
    assertThat(buffer.oldest()).isEqualTo(OptionalLong.of(1));
  }
}
