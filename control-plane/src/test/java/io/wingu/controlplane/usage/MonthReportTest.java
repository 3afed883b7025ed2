package io.wingu.controlplane.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The monthly report's CSV, written with commons-csv, reads as it did when written by hand. */
class MonthReportTest {

  private static final UUID ID = UUID.fromString("6f1c2d3e-0000-4000-8000-000000000001");

  @Test
  void namesAreAlwaysQuotedAndDefusedOtherCellsPlainOneLineFeedPerLine() {
    MonthReport report =
        new MonthReport(
            YearMonth.of(2026, 3),
            List.of(
                new MonthReport.Line(
                    ID, "moe", "Ministry of \"Energy\"", 0.43751, 0.375, 1.0, 1800, 900),
                new MonthReport.Line(ID, "evil", "=HYPERLINK(\"x\")", 0, 0, 0, 0, 0)));
    assertThat(report.csv())
        .isEqualTo(
            "institution_id,code,name,cpu_core_hours,memory_gib_hours,"
                + "storage_gib_months,net_rx_bytes,net_tx_bytes\n"
                + ID
                + ",moe,\"Ministry of \"\"Energy\"\"\",0.438,0.375,1.0,1800,900\n"
                + ID
                + ",evil,\"'=HYPERLINK(\"\"x\"\")\",0.0,0.0,0.0,0,0\n");
    assertThat(report.csvFileName()).isEqualTo("wingu-usage-2026-03.csv");
  }
}
