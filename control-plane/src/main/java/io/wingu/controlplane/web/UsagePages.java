package io.wingu.controlplane.web;

import io.wingu.controlplane.app.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.auth.Caller;
import io.wingu.controlplane.auth.Role;
import io.wingu.controlplane.institutions.Institution;
import io.wingu.controlplane.institutions.InstitutionService;
import io.wingu.controlplane.usage.UsageRoutes;
import io.wingu.controlplane.usage.UsageStore;
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
 * SVG drawn here ({@link SvgChart}); every chart's numbers are also in a table. The figures come from
 * the usage routes' own services, as the REST API answers them.
 */
final class UsagePages {

  private static final Access PLATFORM = Access.roles(Role.OPERATOR, Role.AUDITOR);

  /** The ranges an institution's usage can be shown over, and the step of each. */
  enum Range {
    DAY("24h", Duration.ofHours(24), "hour"), WEEK("7d", Duration.ofDays(7), "hour"),
    MONTH("30d", Duration.ofDays(30), "day"), QUARTER("90d", Duration.ofDays(90), "day");

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
      throw Problem.badRequest("range must be one of 24h, 7d, 30d, 90d",
          List.of(new FieldError("range", "must be one of 24h, 7d, 30d, 90d")));
    }
  }

  private final Database db;
  private final InstitutionService institutions;
  private final UsageRoutes usage;
  private final Clock clock;
  private final Views views;

  UsagePages(Database db, InstitutionService institutions, UsageRoutes usage, Clock clock, Views views) {
    this.db = db;
    this.institutions = institutions;
    this.usage = usage;
    this.clock = clock;
    this.views = views;
  }

  void addTo(Router router, SessionGate gate) {
    router.get("/usage").handler(gate.require(PLATFORM)).handler(ctx -> Views.redirect(ctx, "/usage/nodes"));
    router.get("/usage/nodes").handler(gate.require(PLATFORM)).handler(this::nodes);
    router.get("/usage/report").handler(gate.require(PLATFORM)).handler(this::report);
    router.get("/usage/report.csv").handler(gate.require(PLATFORM)).handler(this::reportCsv);
    router.get("/institutions/:id/usage").handler(gate.require(Access.readers())).handler(this::institution);
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
    institutions.get(caller, id)
        .compose(inst -> usage.institutionUsage(caller, id, shown.step, to.minus(shown.length), to)
            .map(answer -> Map.entry(inst, answer)))
        .onSuccess(found -> {
          Map<String, Object> model = institutionModel(lang, found.getKey(), found.getValue(), shown);
          int status = 200;
          if (refused != null) {
            model.putAll(FormErrors.of(refused, views.messages(), lang, "range").model());
            model.put("range", asked);
            status = 400;
          }
          views.send(ctx, status, "usage-institution", "usageInstitution.title", model);
        }).onFailure(ctx::fail);
  }

  private Map<String, Object> institutionModel(String lang, Institution inst, JsonObject answer, Range range) {
    JsonObject quota = answer.getJsonObject("quota");
    long cpuQuota = quota.getLong("cpuMillis");
    long memoryQuota = quota.getLong("memoryBytes");
    long databaseQuota = quota.getLong("databaseBytes", 0L);
    JsonArray series = answer.getJsonArray("series");
    JsonArray databaseSeries = answer.getJsonArray("databaseSeries", new JsonArray());
    List<Double> cpu = new ArrayList<>();
    List<Double> memory = new ArrayList<>();
    List<Double> database = new ArrayList<>();
    // one row per period that has any figure; a figure the period lacks is a dash
    java.util.TreeMap<Instant, Map<String, Object>> byPeriod = new java.util.TreeMap<>();
    for (Object o : series) {
      JsonObject p = (JsonObject) o;
      cpu.add(p.getLong("cpuMillis") / MILLIS_PER_CORE);
      memory.add(p.getLong("memoryBytes") / MIB);
      Map<String, Object> row = period(byPeriod, p.getString("at"));
      row.put("cpu", cores(lang, p.getLong("cpuMillis")));
      row.put("cpuPercent", percent(lang, p.getLong("cpuMillis"), cpuQuota));
      row.put("memory", mebibytes(lang, p.getLong("memoryBytes")));
      row.put("memoryPercent", percent(lang, p.getLong("memoryBytes"), memoryQuota));
    }
    for (Object o : databaseSeries) {
      JsonObject p = (JsonObject) o;
      database.add(p.getLong("bytes") / MIB);
      Map<String, Object> row = period(byPeriod, p.getString("at"));
      row.put("database", mebibytes(lang, p.getLong("bytes")));
      row.put("databasePercent", percent(lang, p.getLong("bytes"), databaseQuota));
    }
    List<Map<String, Object>> rows = new ArrayList<>(byPeriod.values());
    Map<String, Object> model = new HashMap<>();
    String name = "sw".equals(lang) && inst.nameSw() != null ? inst.nameSw() : inst.name();
    model.put("institution", Map.of("id", inst.id().toString(), "name", name, "namespace", inst.namespace()));
    model.put("ranges", ranges(lang, range));
    model.put("range", range.code);
    model.put("rows", rows);
    model.put("quota", Map.of("cpu", cores(lang, cpuQuota), "memory", mebibytes(lang, memoryQuota),
        "storage", gibibytes(lang, quota.getLong("storageBytes")), "database", mebibytes(lang, databaseQuota)));
    boolean hasDatabase = databaseQuota > 0 || !databaseSeries.isEmpty();
    model.put("hasDatabase", hasDatabase);
    model.put("alerts", alerts(lang, answer.getJsonArray("alerts")));
    if (!series.isEmpty()) {
      model.put("cpuChart", useChart(lang, "cpu-chart", "usage.cpuChart", series, cpu, cpuQuota / MILLIS_PER_CORE));
      model.put("memoryChart", useChart(lang, "memory-chart", "usage.memoryChart", series, memory,
          memoryQuota / MIB));
    }
    if (!databaseSeries.isEmpty()) {
      model.put("databaseChart", useChart(lang, "database-chart", "usage.databaseChart", databaseSeries, database,
          databaseQuota / MIB));
    }
    return model;
  }

  private static Map<String, Object> period(java.util.TreeMap<Instant, Map<String, Object>> byPeriod, String at) {
    return byPeriod.computeIfAbsent(Instant.parse(at), k -> {
      Map<String, Object> row = new HashMap<>(Map.of("cpu", "–", "cpuPercent", "–", "memory", "–",
          "memoryPercent", "–", "database", "–", "databasePercent", "–"));
      row.put("at", at);
      return row;
    });
  }

  /** One resource's use over the series against its quota, described by its peak. */
  private String useChart(String lang, String id, String titleKey, JsonArray series, List<Double> used,
      double quota) {
    java.util.function.DoubleFunction<String> format = v -> decimal(lang, v);
    Messages m = views.messages();
    double peak = used.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    String desc = m.text(lang, "usage.chartDesc", format.apply(peak), format.apply(quota),
        percent(lang, Math.round(peak * 1000), Math.round(quota * 1000)), Messages.date(lang, from(series)), Messages.date(lang, until(series)));
    return SvgChart.lines(id, m.text(lang, titleKey), desc, new SvgChart.Series(m.text(lang, "usage.used"), used),
        quota, m.text(lang, "usage.quota"), xLabels(lang, series), format);
  }

  private List<Map<String, Object>> ranges(String lang, Range current) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Range r : Range.values()) {
      out.add(Map.of("code", r.code, "label", views.messages().text(lang, "usage.range." + r.code),
          "selected", r == current));
    }
    return out;
  }

  private static List<Map<String, Object>> alerts(String lang, JsonArray alerts) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : alerts) {
      JsonObject a = (JsonObject) o;
      boolean cpu = "cpu".equals(a.getString("resource"));
      long used = Math.round(a.getDouble("used"));
      long quota = Math.round(a.getDouble("quota"));
      out.add(Map.of("resource", a.getString("resource"), "threshold", a.getInteger("threshold"),
          "raisedAt", a.getString("raisedAt"),
          "used", cpu ? cores(lang, used) : mebibytes(lang, used),
          "quota", cpu ? cores(lang, quota) : mebibytes(lang, quota)));
    }
    return out;
  }

  private static List<String> xLabels(String lang, JsonArray series) {
    List<String> out = new ArrayList<>();
    out.add(Messages.date(lang, from(series)));
    if (series.size() > 2) {
      out.add(Messages.date(lang, Instant.parse(series.getJsonObject(series.size() / 2).getString("at"))));
    }
    if (series.size() > 1) {
      out.add(Messages.date(lang, until(series)));
    }
    return out;
  }

  private static Instant from(JsonArray series) {
    return Instant.parse(series.getJsonObject(0).getString("at"));
  }

  private static Instant until(JsonArray series) {
    return Instant.parse(series.getJsonObject(series.size() - 1).getString("at"));
  }

  // --- the platform's capacity per node ---

  private void nodes(RoutingContext ctx) {
    String lang = ConsoleLanguage.of(ctx);
    Messages m = views.messages();
    usage.nodes().onSuccess(items -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      List<SvgChart.Group> cpu = new ArrayList<>();
      List<SvgChart.Group> memory = new ArrayList<>();
      for (Object o : items) {
        JsonObject n = (JsonObject) o;
        JsonObject a = n.getJsonObject("allocatable");
        JsonObject r = n.getJsonObject("requested");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", n.getString("nodeName"));
        row.put("cpuAllocatable", cores(lang, a.getLong("cpuMillis")));
        row.put("cpuRequested", cores(lang, r.getLong("cpuMillis")));
        row.put("cpuUsed", cores(lang, n.getLong("cpuUsedMillis")));
        row.put("memoryAllocatable", gibibytes(lang, a.getLong("memoryBytes")));
        row.put("memoryRequested", gibibytes(lang, r.getLong("memoryBytes")));
        row.put("memoryUsed", gibibytes(lang, n.getLong("memoryUsedBytes")));
        row.put("pods", r.getInteger("pods"));
        row.put("source", a.getString("source"));
        row.put("collectedAt", n.getString("collectedAt"));
        rows.add(row);
        cpu.add(new SvgChart.Group(n.getString("nodeName"), List.of(a.getLong("cpuMillis") / MILLIS_PER_CORE,
            r.getLong("cpuMillis") / MILLIS_PER_CORE, n.getLong("cpuUsedMillis") / MILLIS_PER_CORE)));
        memory.add(new SvgChart.Group(n.getString("nodeName"), List.of(a.getLong("memoryBytes") / GIB,
            r.getLong("memoryBytes") / GIB, n.getLong("memoryUsedBytes") / GIB)));
      }
      Map<String, Object> model = new HashMap<>();
      model.put("nodes", rows);
      if (!rows.isEmpty()) {
        List<String> names = List.of(m.text(lang, "usage.allocatable"), m.text(lang, "usage.requested"),
            m.text(lang, "usage.used"));
        model.put("cpuChart", SvgChart.bars("node-cpu-chart", m.text(lang, "usageNodes.cpuChart"),
            m.text(lang, "usageNodes.chartDesc", rows.size()), names, cpu, v -> decimal(lang, v)));
        model.put("memoryChart", SvgChart.bars("node-memory-chart", m.text(lang, "usageNodes.memoryChart"),
            m.text(lang, "usageNodes.chartDesc", rows.size()), names, memory, v -> decimal(lang, v)));
      }
      views.send(ctx, 200, "usage-nodes", "usageNodes.title", model);
    }).onFailure(ctx::fail);
  }

  // --- the monthly report ---

  private void report(RoutingContext ctx) {
    String lang = ConsoleLanguage.of(ctx);
    String asked = ctx.queryParams().get("month");
    YearMonth month;
    Problem refused = null;
    if (asked == null || asked.isEmpty()) {
      month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
    } else {
      try {
        month = UsageRoutes.month(asked);
      } catch (Problem p) {
        refused = p;
        month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
      }
    }
    YearMonth shown = month;
    Problem invalid = refused;
    usage.month(shown).onSuccess(lines -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (UsageStore.MonthLine l : lines) {
        JsonObject j = l.toJson();
        rows.add(Map.of("id", l.institutionId().toString(), "code", l.code(), "name", l.name(),
            "cpuCoreHours", decimal(lang, j.getDouble("cpuCoreHours")),
            "memoryGibHours", decimal(lang, j.getDouble("memoryGibHours")),
            "storageGibMonths", decimal(lang, j.getDouble("storageGibMonths")),
            "netRx", mebibytes(lang, l.netRxBytes()), "netTx", mebibytes(lang, l.netTxBytes())));
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
    }).onFailure(ctx::fail);
  }

  private void reportCsv(RoutingContext ctx) {
    YearMonth month;
    try {
      month = UsageRoutes.month(ctx.queryParams().get("month"));
    } catch (Problem p) {
      views.send(ctx, 400, "error", "usageReport.badMonth.title", Map.of("messageKey", "usageReport.badMonth.text"));
      return;
    }
    usage.month(month).onSuccess(lines -> ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"" + UsageRoutes.csvFileName(month) + "\"")
        .putHeader("Cache-Control", "no-store").end(UsageRoutes.csv(lines))).onFailure(ctx::fail);
  }

  // --- numbers in the page's language ---

  private static final double MILLIS_PER_CORE = 1000.0;
  private static final double MIB = 1 << 20;
  private static final double GIB = 1 << 30;

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
