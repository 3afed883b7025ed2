package io.wingu.templates.catalog;

import io.wingu.templates.LocalizedText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named set of site colours. Webmasters choose a palette by name rather than free colours, so
 * every site keeps WCAG 2.1 AA contrast; {@link #contrastProblems()} is what guarantees it.
 *
 * @param primary header and navigation background
 * @param onPrimary text on {@code primary}
 * @param accent decorative stripes only, never behind text
 * @param link links and buttons on {@code background} and {@code surface}
 * @param surface tinted cards and panels
 * @param text body text
 * @param background page background
 * @param focus inner focus ring, seen against light backgrounds
 * @param focusHalo outer focus halo, seen against {@code primary}; the pair stays visible
 *     everywhere
 */
public record Palette(
    String id,
    LocalizedText name,
    String primary,
    String onPrimary,
    String accent,
    String link,
    String surface,
    String text,
    String background,
    String focus,
    String focusHalo) {

  /** The colours by CSS custom property name, in a fixed order for deterministic CSS. */
  public Map<String, String> cssVariables() {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("--primary", primary);
    vars.put("--on-primary", onPrimary);
    vars.put("--accent", accent);
    vars.put("--link", link);
    vars.put("--surface", surface);
    vars.put("--text", text);
    vars.put("--background", background);
    vars.put("--focus", focus);
    vars.put("--focus-halo", focusHalo);
    return vars;
  }

  /** Each colour pair this palette puts together that falls short of WCAG 2.1 AA. */
  public List<String> contrastProblems() {
    List<String> problems = new ArrayList<>();
    require(problems, "text on background", text, background, Contrast.AA_TEXT);
    require(problems, "text on surface", text, surface, Contrast.AA_TEXT);
    require(problems, "link on background", link, background, Contrast.AA_TEXT);
    require(problems, "link on surface", link, surface, Contrast.AA_TEXT);
    require(problems, "onPrimary on primary", onPrimary, primary, Contrast.AA_TEXT);
    require(problems, "background on link (buttons)", background, link, Contrast.AA_TEXT);
    require(problems, "focus on background", focus, background, Contrast.AA_NON_TEXT);
    require(problems, "focusHalo on primary", focusHalo, primary, Contrast.AA_NON_TEXT);
    require(problems, "focus against focusHalo", focus, focusHalo, Contrast.AA_NON_TEXT);
    return problems;
  }

  private static void require(
      List<String> problems, String pair, String fg, String bg, double minimum) {
    double ratio = Contrast.ratio(fg, bg);
    if (ratio < minimum) {
      problems.add(
          String.format(java.util.Locale.ROOT, "%s is %.2f:1, needs %.1f:1", pair, ratio, minimum));
    }
  }
}
