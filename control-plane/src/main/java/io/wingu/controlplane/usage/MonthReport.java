package io.wingu.controlplane.usage;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Csv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.QuoteMode;

/**
 * The month's per-institution usage and chargeback lines, as the API and the console report them.
 */
public record MonthReport(YearMonth month, List<Line> lines) {

  /** Header and plain cells: quoted only when they must be; lines end in a line feed. */
  private static final CSVFormat CELLS = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

  /** Names: always quoted, so a reader never mistakes a name for a number or a date. */
  private static final CSVFormat NAMES = CELLS.builder().setQuoteMode(QuoteMode.ALL).get();

  /** One institution's line of the monthly usage and chargeback report. */
  public record Line(
      UUID institutionId,
      String code,
      String name,
      double cpuCoreHours,
      double memoryGibHours,
      double storageGibMonths,
      long netRxBytes,
      long netTxBytes) {

    /** To a thousandth, as reported. */
    public double cpuCoreHoursRounded() {
      return round(cpuCoreHours);
    }

    public double memoryGibHoursRounded() {
      return round(memoryGibHours);
    }

    public double storageGibMonthsRounded() {
      return round(storageGibMonths);
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("institutionId", institutionId.toString())
          .put("code", code)
          .put("name", name)
          .put("cpuCoreHours", cpuCoreHoursRounded())
          .put("memoryGibHours", memoryGibHoursRounded())
          .put("storageGibMonths", storageGibMonthsRounded())
          .put("netRxBytes", netRxBytes)
          .put("netTxBytes", netTxBytes);
    }

    private static double round(double v) {
      return Math.round(v * 1000) / 1000.0;
    }
  }

  /** As GET /reports/usage answers in JSON. */
  public JsonObject toJson() {
    JsonArray items = new JsonArray();
    lines.forEach(l -> items.add(l.toJson()));
    return new JsonObject().put("month", month.toString()).put("items", items);
  }

  /**
   * The report as CSV: a header line, then one line per institution; names always quoted and
   * defused so a spreadsheet never runs them as formulas.
   */
  public String csv() {
    StringBuilder out = new StringBuilder();
    try {
      CELLS.printRecord(
          out,
          "institution_id",
          "code",
          "name",
          "cpu_core_hours",
          "memory_gib_hours",
          "storage_gib_months",
          "net_rx_bytes",
          "net_tx_bytes");
      for (Line l : lines) {
        CELLS.print(l.institutionId(), out, true);
        CELLS.print(l.code(), out, false);
        NAMES.print(Csv.defuse(l.name()), out, false);
        for (Object number :
            new Object[] {
              l.cpuCoreHoursRounded(),
              l.memoryGibHoursRounded(),
              l.storageGibMonthsRounded(),
              l.netRxBytes(),
              l.netTxBytes()
            }) {
          CELLS.print(number, out, false);
        }
        CELLS.println(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The file name a downloaded report is saved as. */
  public String csvFileName() {
    return "wingu-usage-" + month + ".csv";
  }
}
