package io.wingu.agent.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportBufferTest {

  @TempDir Path dir;

  private static byte[] report(long seq) {
    return ("{\"seq\":" + seq + ",\"pad\":\"0123456789\"}")
        .getBytes(StandardCharsets.UTF_8); // 34-36 bytes
  }

  @Test
  void dropsTheOldestBeyondTheCountLimit() throws Exception {
    ReportBuffer buffer = ReportBuffer.open(dir, 3, 1 << 20);
    for (long seq = 10; seq <= 14; seq++) {
      buffer.add(seq, report(seq));
    }

    assertThat(buffer.size()).isEqualTo(3);
    assertThat(buffer.oldest()).isEqualTo(OptionalLong.of(12));
    assertThat(buffer.read(10)).isNull();
    assertThat(new String(buffer.read(14), StandardCharsets.UTF_8)).startsWith("{\"seq\":14,");
  }

  @Test
  void dropsTheOldestBeyondTheByteLimitButKeepsTheNewest() throws Exception {
    ReportBuffer buffer = ReportBuffer.open(dir, 100, 80);
    buffer.add(1, report(1));
    buffer.add(2, report(2));
    buffer.add(3, report(3)); // 3 × 34 bytes > 80

    assertThat(buffer.oldest()).isEqualTo(OptionalLong.of(2));
    assertThat(buffer.size()).isEqualTo(2);

    ReportBuffer tiny = ReportBuffer.open(dir.resolve("tiny"), 100, 10);
    tiny.add(7, report(7));
    assertThat(tiny.size()).isEqualTo(1);
  }

  @Test
  void survivesReopeningAndForgetsHalfWrittenFiles() throws Exception {
    ReportBuffer buffer = ReportBuffer.open(dir, 100, 1 << 20);
    buffer.add(5, report(5));
    buffer.add(6, report(6));
    buffer.remove(5);
    Files.writeString(dir.resolve("00000000000000000007.json.tmp"), "{\"seq\":7,\"pa");

    ReportBuffer reopened = ReportBuffer.open(dir, 100, 1 << 20);

    assertThat(reopened.size()).isEqualTo(1);
    assertThat(reopened.oldest()).isEqualTo(OptionalLong.of(6));
    assertThat(reopened.nextSeqAtLeast()).isEqualTo(7);
    assertThat(dir.resolve("00000000000000000007.json.tmp")).doesNotExist();
  }

  @Test
  void seqKeepsRisingAcrossRestarts() throws Exception {
    SeqStore first = SeqStore.open(dir, 0, 1_000);
    assertThat(first.next()).isEqualTo(1_000);
    assertThat(first.next()).isEqualTo(1_001);

    SeqStore second = SeqStore.open(dir, 0, 5);
    assertThat(second.next()).isEqualTo(1_002);

    // a buffered report above the stored number wins
    assertThat(SeqStore.open(dir, 2_000, 5).next()).isEqualTo(2_000);
  }
}
