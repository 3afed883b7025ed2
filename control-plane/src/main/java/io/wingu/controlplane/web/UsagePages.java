package io.wingu.controlplane.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.institutions.Institution;
import io.wingu.controlplane.institutions.InstitutionService;
import io.wingu.controlplane.usage.InstitutionUsage;
import io.wingu.controlplane.usage.MonthReport;
import io.wingu.controlplane.usage.NodeUsage;
import io.wingu.controlplane.usage.UsageService;
import java.text.NumberFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Usage: an institution's CPU and memory against its quota over a chosen range, the platform's
 * capacity per node (allocatable, requested, used), and the monthly report with its CSV. Charts are
 * SVG drawn here ({@link SvgChart}); every chart's numbers are also in a table. The figures come
 * from {@link UsageService}, as the REST API's do.
 */
record UsagePages(UsageService usage, InstitutionService institutions, Clock clock, Views views) {

  private static final Access PLATFORM = Access.roles(Role.OPERATOR, Role.AUDITOR);

  /** The ranges an institution's usage can be shown over, and the step of each. */
  enum Range {
    DAY("24h", Duration.ofHours(24), "hour"),
    WEEK("7d", Duration.ofDays(7), "hour"),
    MONTH("30d", Duration.ofDays(30), "day"),
    QUARTER("90d", Duration.ofDays(90), "day");

    final String code;
    final Duration length;
    final String step;

    Range(String code, Duration length, String step) {
      this.code = code;
      this.length = length;
      this.step = step;
    }

    static Range of(String code) {
      if (code == null || code.isEmpty()) {
        return DAY;
      }
      for (Range r : values()) {
        if (r.code.equals(code)) {
          return r;
        }
      }
      throw Problem.badRequest(
          "range must be one of 24h, 7d, 30d, 90d",
          List.of(new FieldError("range", "must be one of 24h, 7d, 30d, 90d")));
    }
  }

  void addTo(Router router, SessionGate gate) {
    GatedRouter routes = new GatedRouter(router, gate);
    routes.get("/usage", PLATFORM, ctx -> Views.redirect(ctx, "/usage/nodes"));
    routes.get("/usage/nodes", PLATFORM, this::nodes);
    routes.get("/usage/report", PLATFORM, this::report);
    routes.get("/usage/report.csv", PLATFORM, this::reportCsv);
    routes.get("/institutions/:id/usage", Access.readers(), this::institution);
  }

  // --- an institution's usage against its quota ---

  private void institution(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    UUID id = Form.id(ctx);
    String lang = ConsoleLanguage.of(ctx);
    String asked = ctx.queryParams().get("range");
    Range range;
    Problem invalid = null;
    try {
      range = Range.of(asked);
    } catch (Problem p) {
      invalid = p;
      range = Range.DAY;
    }
    Range shown = range;
    Problem refused = invalid;
    Instant to = clock.instant();
    usage
        .institutionUsage(caller, id, shown.step, to.minus(shown.length), to)
        .onSuccess(
            found -> {
              Map<String, Object> model = institutionModel(lang, found, shown);
              int status = 200;
              if (refused != null) {
                model.putAll(FormErrors.of(refused, views.messages(), lang, "range").model());
                model.put("range", asked);
                status = 400;
              }
              views.send(ctx, status, "usage-institution", "usageInstitution.title", model);
            })
        .onFailure(ctx::fail);
  }

  private Map<String, Object> institutionModel(String lang, InstitutionUsage answer, Range range) {
    Institution inst = answer.institution();
    long cpuQuota = answer.quota().cpuMillis();
    long memoryQuota = answer.quota().memoryBytes();
    long databaseQuota = answer.quota().databaseBytes();
    List<Instant> series = answer.series().stream().map(InstitutionUsage.Point::at).toList();
    List<Instant> databaseSeries =
        answer.databaseSeries().stream().map(InstitutionUsage.DatabasePoint::at).toList();
    List<Double> cpu = new ArrayList<>();
    List<Double> memory = new ArrayList<>();
    List<Double> database = new ArrayList<>();
    // one row per period that has any figure; a figure the period lacks is a dash
    java.util.TreeMap<Instant, Map<String, Object>> byPeriod = new java.util.TreeMap<>();
    for (InstitutionUsage.Point p : answer.series()) {
      cpu.add(p.cpuMillis() / MILLIS_PER_CORE);
      memory.add(p.memoryBytes() / MIB);
      Map<String, Object> row = period(byPeriod, p.at());
      row.put("cpu", cores(lang, p.cpuMillis()));
      row.put("cpuPercent", percent(lang, p.cpuMillis(), cpuQuota));
      row.put("memory", mebibytes(lang, p.memoryBytes()));
      row.put("memoryPercent", percent(lang, p.memoryBytes(), memoryQuota));
    }
    for (InstitutionUsage.DatabasePoint p : answer.databaseSeries()) {
      database.add(p.bytes() / MIB);
      Map<String, Object> row = period(byPeriod, p.at());
      row.put("database", mebibytes(lang, p.bytes()));
      row.put("databasePercent", percent(lang, p.bytes(), databaseQuota));
    }
    List<Map<String, Object>> rows = new ArrayList<>(byPeriod.values());
    Map<String, Object> model = new HashMap<>();
    String name = InstitutionNames.name(inst, lang);
    model.put(
        "institution",
        Map.of("id", inst.id().toString(), "name", name, "namespace", inst.namespace()));
    model.put("ranges", ranges(lang, range));
    model.put("range", range.code);
    model.put("rows", rows);
    model.put(
        "quota",
        Map.of(
            "cpu",
            cores(lang, cpuQuota),
            "memory",
            mebibytes(lang, memoryQuota),
            "storage",
            gibibytes(lang, answer.quota().storageBytes()),
            "database",
            mebibytes(lang, databaseQuota)));
    answer
        .reserved()
        .ifPresent(
            r ->
                model.put(
                    "reserved",
                    Map.of(
                        "cpu",
                        cores(lang, r.cpuMillis()),
                        "cpuPercent",
                        percent(lang, r.cpuMillis(), cpuQuota),
                        "memory",
                        mebibytes(lang, r.memoryBytes()),
                        "memoryPercent",
                        percent(lang, r.memoryBytes(), memoryQuota),
                        "pods",
                        r.pods())));
    boolean hasDatabase = databaseQuota > 0 || !databaseSeries.isEmpty();
    model.put("hasDatabase", hasDatabase);
    model.put("alerts", alerts(lang, answer.alerts()));
    if (!series.isEmpty()) {
      model.put(
          "cpuChart",
          useChart(lang, "cpu-chart", "usage.cpuChart", series, cpu, cpuQuota / MILLIS_PER_CORE));
      model.put(
          "memoryChart",
          useChart(lang, "memory-chart", "usage.memoryChart", series, memory, memoryQuota / MIB));
    }
    if (!databaseSeries.isEmpty()) {
      model.put(
          "databaseChart",
          useChart(
              lang,
              "database-chart",
              "usage.databaseChart",
              databaseSeries,
              database,
              databaseQuota / MIB));
    }
    return model;
  }

  private static Map<String, Object> period(
      java.util.TreeMap<Instant, Map<String, Object>> byPeriod, Instant at) {
    return byPeriod.computeIfAbsent(
        at,
        k -> {
          Map<String, Object> row =
              new HashMap<>(
                  Map.of(
                      "cpu",
                      "–",
                      "cpuPercent",
                      "–",
                      "memory",
                      "–",
                      "memoryPercent",
                      "–",
                      "database",
                      "–",
                      "databasePercent",
                      "–"));
          row.put("at", at.toString());
          return row;
        });
  }

  /** One resource's use over the series against its quota, described by its peak. */
  private String useChart(
      String lang,
      String id,
      String titleKey,
      List<Instant> series,
      List<Double> used,
      double quota) {
    java.util.function.DoubleFunction<String> format = v -> decimal(lang, v);
    Messages m = views.messages();
    double peak = used.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    String desc =
        m.text(
            lang,
            "usage.chartDesc",
            format.apply(peak),
            format.apply(quota),
            percent(lang, Math.round(peak * 1000), Math.round(quota * 1000)),
            Messages.date(lang, from(series)),
            Messages.date(lang, until(series)));
    return SvgChart.lines(
        id,
        m.text(lang, titleKey),
        desc,
        new SvgChart.Series(m.text(lang, "usage.used"), used),
        quota,
        m.text(lang, "usage.quota"),
        xLabels(lang, series),
        format);
  }

  private List<Map<String, Object>> ranges(String lang, Range current) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Range r : Range.values()) {
      out.add(
          Map.of(
              "code",
              r.code,
              "label",
              views.messages().text(lang, "usage.range." + r.code),
              "selected",
              r == current));
    }
    return out;
  }

  private static List<Map<String, Object>> alerts(
      String lang, List<InstitutionUsage.Alert> alerts) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (InstitutionUsage.Alert a : alerts) {
      boolean cpu = "cpu".equals(a.resource());
      long used = Math.round(a.used());
      long quota = Math.round(a.quota());
      out.add(
          Map.of(
              "resource",
              a.resource(),
              "threshold",
              a.threshold(),
              "raisedAt",
              a.raisedAt().toString(),
              "used",
              cpu ? cores(lang, used) : mebibytes(lang, used),
              "quota",
              cpu ? cores(lang, quota) : mebibytes(lang, quota)));
    }
    return out;
  }

  private static List<String> xLabels(String lang, List<Instant> series) {
    List<String> out = new ArrayList<>();
    out.add(Messages.date(lang, from(series)));
    if (series.size() > 2) {
      out.add(Messages.date(lang, series.get(series.size() / 2)));
    }
    if (series.size() > 1) {
      out.add(Messages.date(lang, until(series)));
    }
    return out;
  }

  private static Instant from(List<Instant> series) {
    return series.get(0);
  }

  private static Instant until(List<Instant> series) {
    return series.get(series.size() - 1);
  }

  // --- the platform's capacity per node ---

  private void nodes(RoutingContext ctx) {
    String lang = ConsoleLanguage.of(ctx);
    Messages m = views.messages();
    usage
        .nodes()
        .onSuccess(
            items -> {
              List<Map<String, Object>> rows = new ArrayList<>();
              List<SvgChart.Group> cpu = new ArrayList<>();
              List<SvgChart.Group> memory = new ArrayList<>();
              for (NodeUsage node : items) {
                NodeUsage.Report n = node.report();
                NodeUsage.Allocatable a = node.allocatable();
                var r = node.requested();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", n.nodeName());
                row.put("cpuAllocatable", cores(lang, a.cpuMillis()));
                row.put("cpuRequested", cores(lang, r.cpuMillis()));
                row.put("cpuUsed", cores(lang, n.cpuUsedMillis()));
                row.put("memoryAllocatable", gibibytes(lang, a.memoryBytes()));
                row.put("memoryRequested", gibibytes(lang, r.memoryBytes()));
                row.put("memoryUsed", gibibytes(lang, n.memoryUsedBytes()));
                row.put("pods", r.pods());
                row.put("source", a.source());
                row.put("collectedAt", n.collectedAt().toString());
                rows.add(row);
                cpu.add(
                    bars(
                        n.nodeName(),
                        MILLIS_PER_CORE,
                        a.cpuMillis(),
                        r.cpuMillis(),
                        n.cpuUsedMillis()));
                memory.add(
                    bars(n.nodeName(), GIB, a.memoryBytes(), r.memoryBytes(), n.memoryUsedBytes()));
              }
              Map<String, Object> model = new HashMap<>();
              model.put("nodes", rows);
              if (!rows.isEmpty()) {
                List<String> names =
                    List.of(
                        m.text(lang, "usage.allocatable"),
                        m.text(lang, "usage.requested"),
                        m.text(lang, "usage.used"));
                for (var chart : Map.of("cpu", cpu, "memory", memory).entrySet()) {
                  model.put(
                      chart.getKey() + "Chart",
                      SvgChart.bars(
                          "node-" + chart.getKey() + "-chart",
                          m.text(lang, "usageNodes." + chart.getKey() + "Chart"),
                          m.text(lang, "usageNodes.chartDesc", rows.size()),
                          names,
                          chart.getValue(),
                          v -> decimal(lang, v)));
                }
              }
              views.send(ctx, 200, "usage-nodes", "usageNodes.title", model);
            })
        .onFailure(ctx::fail);
  }

  // --- the monthly report ---

  private record NamedReport(MonthReport report, InstitutionNames names) {}

  private void report(RoutingContext ctx) {
    String lang = ConsoleLanguage.of(ctx);
    String asked = ctx.queryParams().get("month");
    YearMonth month;
    Problem refused = null;
    if (asked == null || asked.isEmpty()) {
      month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
    } else {
      try {
        month = UsageService.month(asked);
      } catch (DomainError e) {
        refused = Calls.problem(e);
        month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
      }
    }
    YearMonth shown = month;
    Problem invalid = refused;
    usage
        .month(shown)
        .compose(
            report ->
                InstitutionNames.of(
                        institutions,
                        SessionGate.caller(ctx),
                        report.lines().stream().map(MonthReport.Line::institutionId).toList(),
                        lang)
                    .map(names -> new NamedReport(report, names)))
        .onSuccess(
            named -> {
              MonthReport report = named.report();
              List<Map<String, Object>> rows = new ArrayList<>();
              for (MonthReport.Line l : report.lines()) {
                // the name in the page's language: the Swahili name in the Swahili console
                String name = named.names().name(l.institutionId());
                rows.add(
                    Map.of(
                        "id",
                        l.institutionId().toString(),
                        "code",
                        l.code(),
                        "name",
                        name == null ? l.name() : name,
                        "cpuCoreHours",
                        decimal(lang, l.cpuCoreHoursRounded()),
                        "memoryGibHours",
                        decimal(lang, l.memoryGibHoursRounded()),
                        "storageGibMonths",
                        decimal(lang, l.storageGibMonthsRounded()),
                        "netRx",
                        mebibytes(lang, l.netRxBytes()),
                        "netTx",
                        mebibytes(lang, l.netTxBytes())));
              }
              Map<String, Object> model = new HashMap<>();
              model.put("rows", rows);
              model.put("month", invalid == null ? shown.toString() : asked);
              model.put("monthShown", shown.toString());
              int status = 200;
              if (invalid != null) {
                model.putAll(FormErrors.of(invalid, views.messages(), lang, "month").model());
                status = 400;
              }
              views.send(ctx, status, "usage-report", "usageReport.title", model);
            })
        .onFailure(ctx::fail);
  }

  private void reportCsv(RoutingContext ctx) {
    YearMonth month;
    try {
      month = UsageService.month(ctx.queryParams().get("month"));
    } catch (DomainError e) {
      views.send(
          ctx,
          400,
          "error",
          "usageReport.badMonth.title",
          Map.of("messageKey", "usageReport.badMonth.text"));
      return;
    }
    usage
        .month(month)
        .onSuccess(
            report ->
                ctx.response()
                    .putHeader("Content-Type", "text/csv; charset=utf-8")
                    .putHeader(
                        "Content-Disposition",
                        "attachment; filename=\"" + report.csvFileName() + "\"")
                    .putHeader("Cache-Control", "no-store")
                    .end(report.csv()))
        .onFailure(ctx::fail);
  }

  // --- numbers in the page's language ---

  private static final double MILLIS_PER_CORE = 1000.0;
  private static final double MIB = 1 << 20;
  private static final double GIB = 1 << 30;

  /** A node's allocatable, requested and used amounts as bars, in {@code unit}s. */
  private static SvgChart.Group bars(
      String node, double unit, double allocatable, double requested, double used) {
    return new SvgChart.Group(node, List.of(allocatable / unit, requested / unit, used / unit));
  }

  static String cores(String lang, long millis) {
    return decimal(lang, millis / MILLIS_PER_CORE);
  }

  static String mebibytes(String lang, long bytes) {
    return Messages.number(lang, Math.round(bytes / MIB));
  }

  static String gibibytes(String lang, long bytes) {
    return decimal(lang, bytes / GIB);
  }

  static String percent(String lang, long used, long quota) {
    return quota <= 0 ? "–" : Messages.number(lang, Math.round(used * 100.0 / quota)) + " %";
  }

  static String decimal(String lang, double v) {
    NumberFormat f = NumberFormat.getNumberInstance(Messages.locale(lang));
    f.setMaximumFractionDigits(2);
    f.setMinimumFractionDigits(0);
    return f.format(v);
  }
}
