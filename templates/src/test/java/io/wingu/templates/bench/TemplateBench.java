package io.wingu.templates.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wingu.templates.LocalizedText;
import io.wingu.templates.catalog.Template;
import io.wingu.templates.catalog.TemplateCatalog;
import io.wingu.templates.content.ContentEntry;
import io.wingu.templates.content.SiteContent;
import io.wingu.templates.render.Bundle;
import io.wingu.templates.render.SiteRenderer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Prints how long building a site revision takes (render + tar.gz + SHA-256), and how long
 * rebuilding 500 different sites takes when they move to a new template version. Run with
 * bench/templates/run.sh; arguments: [runs] [sites].
 */
public final class TemplateBench {

  private static final List<String> PALETTES =
      List.of("bahari", "kijani", "udongo", "usiku", "zambarau");

  private TemplateBench() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int sites = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    long loadStart = System.nanoTime();
    TemplateCatalog catalog = TemplateCatalog.loadDefault();
    System.out.printf(
        Locale.ROOT,
        "catalogue: %d templates loaded in %.1f ms%n",
        catalog.templates().size(),
        millis(System.nanoTime() - loadStart));

    Template template = catalog.get("ministry-portal");
    SiteContent content = typicalContent(catalog.exampleContent(), 0);
    for (int i = 0; i < 200; i++) {
      build(template, template.example(), content); // warm-up: JIT and template compilation
    }
    long[] times = new long[runs];
    Bundle last = null;
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      last = build(template, template.example(), content);
      times[i] = System.nanoTime() - start;
    }
    Arrays.sort(times);
    System.out.printf(
        Locale.ROOT,
        "one revision (%s, %d files, %.0f KB tar.gz): p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d runs%n",
        template.id(),
        last.files().size(),
        last.toTarGz().length / 1024.0,
        millis(percentile(times, 50)),
        millis(percentile(times, 99)),
        millis(times[times.length - 1]),
        runs);

    for (Template each : catalog.templates()) {
      Bundle bundle = SiteRenderer.render(each, each.example(), catalog.exampleContent());
      System.out.printf(
          Locale.ROOT,
          "home page weight of %s: %.1f KB (page, stylesheet, script, logo, icon)%n",
          each.id(),
          homeWeight(bundle) / 1024.0);
    }
    rebuild(catalog, sites, false);
    rebuild(catalog, sites, true);
  }

  /** Renders {@code sites} distinct sites (templates, palettes, names and content all vary). */
  private static void rebuild(TemplateCatalog catalog, int sites, boolean parallel) {
    List<Template> templates = catalog.templates();
    AtomicLong bytes = new AtomicLong();
    long start = System.nanoTime();
    IntStream range = IntStream.range(0, sites);
    (parallel ? range.parallel() : range)
        .forEach(
            n -> {
              Template template = templates.get(n % templates.size());
              Bundle bundle =
                  build(
                      template,
                      siteParameters(template, n),
                      typicalContent(catalog.exampleContent(), n));
              bytes.addAndGet(bundle.toTarGz().length);
            });
    double total = millis(System.nanoTime() - start);
    System.out.printf(
        Locale.ROOT,
        "rebuild %d sites on a new template version (%s, %d cores): %.2f s total, %.1f ms per site, %.1f MB of bundles%n",
        sites,
        parallel ? "parallel" : "one thread",
        Runtime.getRuntime().availableProcessors(),
        total / 1000,
        total / sites,
        bytes.get() / 1e6);
  }

  private static Bundle build(Template template, JsonNode parameters, SiteContent content) {
    Bundle bundle = SiteRenderer.render(template, parameters, content);
    bundle.digest(); // packs the tar.gz and hashes it
    return bundle;
  }

  private static JsonNode siteParameters(Template template, int n) {
    ObjectNode parameters = template.example().deepCopy();
    ObjectNode name = (ObjectNode) parameters.path("institution").path("name");
    name.put("sw", name.path("sw").asText() + " " + n);
    name.put("en", name.path("en").asText() + " " + n);
    parameters.put("palette", PALETTES.get(n % PALETTES.size()));
    return parameters;
  }

  /** The example content plus a year of news and a shelf of publications, varied per site. */
  private static SiteContent typicalContent(SiteContent example, int site) {
    List<ContentEntry> news = new ArrayList<>(example.news());
    List<ContentEntry> publications = new ArrayList<>(example.publications());
    for (int i = 0; i < 24; i++) {
      news.add(
          entry(
              "habari-" + i,
              "Habari " + i + " ya tovuti " + site,
              LocalDate.of(2025, 1 + i % 12, 1 + i)));
    }
    for (int i = 0; i < 12; i++) {
      publications.add(entry("chapisho-" + i, "Ripoti " + i, LocalDate.of(2024, 1 + i, 15)));
    }
    return new SiteContent(example.pages(), news, publications, List.of());
  }

  private static ContentEntry entry(String slug, String title, LocalDate date) {
    String body =
        ("Maelezo ya **" + title + "** kwa wananchi. ").repeat(12)
            + "\n\n- kipengele cha kwanza\n- cha pili";
    return new ContentEntry(slug, LocalizedText.both(title), new LocalizedText(body, body), date);
  }

  private static long homeWeight(Bundle bundle) {
    return Stream.of(
            "sw/index.html",
            "assets/site.css",
            "assets/site.js",
            "assets/logo.svg",
            "assets/favicon.svg")
        .mapToLong(path -> bundle.file(path).map(bytes -> bytes.length).orElse(0))
        .sum();
  }

  private static long percentile(long[] sorted, int percent) {
    int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
