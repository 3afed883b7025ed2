package io.wingu.controlplane.web;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Charts drawn on the server as inline SVG, so they need no script: a line chart of use over time
 * against a quota line, and a bar chart of grouped values. Each is an image with a title and a
 * description (role="img", aria-labelledby) and the page puts the same numbers in a table. Every
 * text is escaped here; the result goes into a page as it is.
 */
final class SvgChart {

  static final int WIDTH = 640;
  private static final int LEFT = 80;
  private static final int RIGHT = 16;
  private static final int TOP = 16;
  private static final int AXIS_FONT = 13;

  /**
   * Dark enough on white for graphical objects (WCAG 1.4.11, at least 3:1); told apart by shape
   * too.
   */
  private static final String[] COLOURS = {"#1d5c3a", "#1a4f8b", "#8a3b00"};

  private static final String[] DASHES = {"", "6 3", "2 2"};

  /** A named series of values, one per point of the x axis. */
  record Series(String name, List<Double> values) {}

  /** One group of bars (a node), with one value per series. */
  record Group(String label, List<Double> values) {}

  private SvgChart() {}

  /**
   * A line chart: {@code used} as a filled line, {@code limit} (may be null) as a dashed line
   * across; {@code xLabels} label the first, middle and last points; {@code format} writes the y
   * axis' values.
   */
  static String lines(
      String id,
      String title,
      String desc,
      Series used,
      Double limit,
      String limitName,
      List<String> xLabels,
      DoubleFunction<String> format) {
    int height = 240;
    int bottom = height - 40;
    double max =
        niceMax(
            Math.max(
                limit == null ? 0 : limit,
                used.values().stream().mapToDouble(Double::doubleValue).max().orElse(0)));
    StringBuilder svg = open(id, title, desc, height);
    axes(svg, max, bottom, format);
    int n = used.values().size();
    double plot = WIDTH - LEFT - RIGHT;
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < n; i++) {
      double x = LEFT + (n == 1 ? plot / 2 : plot * i / (n - 1));
      double y = bottom - (bottom - TOP) * used.values().get(i) / max;
      points.append(num(x)).append(',').append(num(y)).append(' ');
    }
    if (n > 0) {
      double first = LEFT + (n == 1 ? plot / 2 : 0);
      double last = LEFT + (n == 1 ? plot / 2 : plot);
      svg.append("<polygon fill=\"")
          .append(COLOURS[0])
          .append("\" fill-opacity=\"0.15\" points=\"")
          .append(num(first))
          .append(',')
          .append(bottom)
          .append(' ')
          .append(points)
          .append(num(last))
          .append(',')
          .append(bottom)
          .append("\"/>");
      svg.append("<polyline fill=\"none\" stroke=\"")
          .append(COLOURS[0])
          .append("\" stroke-width=\"2.5\" points=\"")
          .append(points.toString().trim())
          .append("\"/>");
      if (n == 1) {
        svg.append("<circle r=\"4\" fill=\"")
            .append(COLOURS[0])
            .append("\" cx=\"")
            .append(num(first))
            .append("\" cy=\"")
            .append(points.substring(points.indexOf(",") + 1).trim())
            .append("\"/>");
      }
    }
    if (limit != null && limit > 0) {
      double y = bottom - (bottom - TOP) * limit / max;
      across(svg, y)
          .append(" stroke=\"")
          .append(COLOURS[2])
          .append("\" stroke-width=\"2\" stroke-dasharray=\"")
          .append(DASHES[1])
          .append("\"/>");
    }
    for (int i = 0; i < xLabels.size(); i++) {
      String anchor = i == 0 ? "start" : i == xLabels.size() - 1 ? "end" : "middle";
      double x = xLabels.size() == 1 ? LEFT + plot / 2 : LEFT + plot * i / (xLabels.size() - 1);
      svg.append(text(x, bottom + 18, anchor, xLabels.get(i)));
    }
    legend(
        svg,
        height - 6,
        List.of(used.name(), limitName),
        new String[] {COLOURS[0], COLOURS[2]},
        new String[] {DASHES[0], DASHES[1]});
    return svg.append("</svg>").toString();
  }

  /** Horizontal bars: for each group one bar per series, named in the legend. */
  static String bars(
      String id,
      String title,
      String desc,
      List<String> seriesNames,
      List<Group> groups,
      DoubleFunction<String> format) {
    int bar = 14;
    int groupHeight = seriesNames.size() * bar + 28;
    int height = TOP + groups.size() * groupHeight + 60;
    int bottom = height - 40;
    double max =
        niceMax(
            groups.stream()
                .flatMap(g -> g.values().stream())
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(0));
    StringBuilder svg = open(id, title, desc, height);
    double plot = WIDTH - LEFT - RIGHT;
    for (int t = 0; t <= 4; t++) {
      double x = LEFT + plot * t / 4;
      svg.append("<line stroke=\"#b1b4b6\" x1=\"")
          .append(num(x))
          .append("\" x2=\"")
          .append(num(x))
          .append("\" y1=\"")
          .append(TOP)
          .append("\" y2=\"")
          .append(bottom)
          .append("\"/>");
      svg.append(
          text(
              x,
              bottom + 16,
              t == 0 ? "start" : t == 4 ? "end" : "middle",
              format.apply(max * t / 4)));
    }
    for (int g = 0; g < groups.size(); g++) {
      Group group = groups.get(g);
      int y = TOP + g * groupHeight;
      svg.append(text(LEFT, y + 14, "start", group.label()));
      for (int s = 0; s < group.values().size(); s++) {
        double w = plot * group.values().get(s) / max;
        svg.append("<rect x=\"")
            .append(LEFT)
            .append("\" y=\"")
            .append(y + 20 + s * bar)
            .append("\" height=\"")
            .append(bar - 3)
            .append("\" width=\"")
            .append(num(Math.max(w, 1)))
            .append("\" fill=\"")
            .append(COLOURS[s % COLOURS.length])
            .append("\"/>");
      }
    }
    legend(svg, height - 6, seriesNames, COLOURS, new String[] {"", "", ""});
    return svg.append("</svg>").toString();
  }

  /**
   * The top of an axis of four equal steps, each a round number (1, 1.25, 1.5, 2, 2.5 … times a
   * power of ten).
   */
  static double niceMax(double max) {
    if (max <= 0) {
      return 4;
    }
    double raw = max * 1.05 / 4;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double f : new double[] {1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8, 10}) {
      if (f * magnitude >= raw) {
        return f * magnitude * 4;
      }
    }
    return 40 * magnitude;
  }

  private static StringBuilder open(String id, String title, String desc, int height) {
    String safeId = id.replaceAll("[^A-Za-z0-9-]", "");
    return new StringBuilder(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(height)
        .append("\" aria-labelledby=\"")
        .append(safeId)
        .append("-title ")
        .append(safeId)
        .append("-desc\"><title id=\"")
        .append(safeId)
        .append("-title\">")
        .append(escape(title))
        .append("</title><desc id=\"")
        .append(safeId)
        .append("-desc\">")
        .append(escape(desc))
        .append("</desc>");
  }

  /**
   * Opens a horizontal line across the plot at {@code y}; the caller adds its look and closes it.
   */
  private static StringBuilder across(StringBuilder svg, double y) {
    return svg.append("<line x1=\"")
        .append(LEFT)
        .append("\" x2=\"")
        .append(WIDTH - RIGHT)
        .append("\" y1=\"")
        .append(num(y))
        .append("\" y2=\"")
        .append(num(y))
        .append('"');
  }

  private static void axes(
      StringBuilder svg, double max, int bottom, DoubleFunction<String> format) {
    for (int t = 0; t <= 4; t++) {
      double y = bottom - (bottom - TOP) * t / 4.0;
      across(svg, y).append(" stroke=\"#b1b4b6\"/>");
      svg.append(text(LEFT - 6, y + 4, "end", format.apply(max * t / 4)));
    }
  }

  private static void legend(
      StringBuilder svg, int y, List<String> names, String[] colours, String[] dashes) {
    double x = LEFT;
    for (int i = 0; i < names.size(); i++) {
      svg.append("<line x1=\"")
          .append(num(x))
          .append("\" x2=\"")
          .append(num(x + 24))
          .append("\" y1=\"")
          .append(y - 4)
          .append("\" y2=\"")
          .append(y - 4)
          .append("\" stroke-width=\"")
          .append(dashes[i].isEmpty() ? 8 : 3)
          .append("\" stroke=\"")
          .append(colours[i])
          .append('"')
          .append(dashes[i].isEmpty() ? "" : " stroke-dasharray=\"" + dashes[i] + "\"")
          .append("/>");
      svg.append(text(x + 30, y, "start", names.get(i)));
      x += 40 + names.get(i).length() * 7.5;
    }
  }

  private static String text(double x, double y, String anchor, String s) {
    return "<text x=\""
        + num(x)
        + "\" y=\""
        + num(y)
        + "\" font-size=\""
        + AXIS_FONT
        + "\" fill=\"#0b0c0c\""
        + " text-anchor=\""
        + anchor
        + "\">"
        + escape(s)
        + "</text>";
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** XML text and attribute escaping. */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c < 0x20 && c != '\t' && c != '\n' ? ' ' : c);
      }
    }
    return out.toString();
  }
}
