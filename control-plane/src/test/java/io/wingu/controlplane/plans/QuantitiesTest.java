package io.wingu.controlplane.plans;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuantitiesTest {

  @Test
  void cpuQuantities() {
    assertThat(Quantities.cpuMillis("500m")).isEqualTo(500);
    assertThat(Quantities.cpuMillis("2")).isEqualTo(2000);
    assertThat(Quantities.cpuMillis("1.5")).isEqualTo(1500);
    assertThat(Quantities.cpuMillis("lots")).isEqualTo(-1);
    assertThat(Quantities.cpu(1500)).isEqualTo("1500m");
    assertThat(Quantities.cpu(2000)).isEqualTo("2");
  }

  @Test
  void byteQuantities() {
    assertThat(Quantities.bytes("512Mi")).isEqualTo(512L << 20);
    assertThat(Quantities.bytes("10Gi")).isEqualTo(10L << 30);
    assertThat(Quantities.bytes("1000")).isEqualTo(1000);
    assertThat(Quantities.bytes("9999999999999Ti")).isEqualTo(-1);
    assertThat(Quantities.bytes("2GB")).isEqualTo(-1);
    assertThat(Quantities.bytes(5L << 30)).isEqualTo("5Gi");
    assertThat(Quantities.bytes(1536L << 20)).isEqualTo("1536Mi");
    assertThat(Quantities.bytes(1000)).isEqualTo("1000");
  }
}
