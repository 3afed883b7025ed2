package io.wingu.controlplane.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Every word the console shows, from one properties file per language ({@code
 * console/messages_<lang>.properties}, UTF-8); dates and numbers formatted for the language.
 * Start-up fails when a key is in one language and not the other, so no page is half translated.
 */
public final class Messages {

  /** The console's languages; the first is the fallback when the browser asks for neither. */
  public static final java.util.List<String> LANGUAGES = java.util.List.of("sw", "en");

  /** Dates are shown in the country's time zone. */
  private static final ZoneId ZONE = ZoneId.of("Africa/Dar_es_Salaam");

  private final Map<String, Properties> bundles = new HashMap<>();

  private Messages() {}

  public static Messages load() {
    Messages m = new Messages();
    for (String lang : LANGUAGES) {
      m.bundles.put(lang, read("console/messages_" + lang + ".properties"));
    }
    Set<String> sw = m.bundles.get("sw").stringPropertyNames();
    Set<String> en = m.bundles.get("en").stringPropertyNames();
    if (!sw.equals(en)) {
      Set<String> onlySw = new java.util.TreeSet<>(sw);
      onlySw.removeAll(en);
      Set<String> onlyEn = new java.util.TreeSet<>(en);
      onlyEn.removeAll(sw);
      throw new IllegalStateException(
          "console messages differ between languages: only sw " + onlySw + ", only en " + onlyEn);
    }
    return m;
  }

  private static Properties read(String resource) {
    try (InputStream in = Messages.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      Properties p = new Properties();
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean has(String key) {
    return bundles.get("en").containsKey(key);
  }

  /**
   * The text of {@code key} in {@code lang}, with {0}, {1}… replaced; the key itself when missing.
   */
  public String text(String lang, String key, Object... args) {
    String pattern = bundles.getOrDefault(lang, bundles.get("en")).getProperty(key);
    if (pattern == null) {
      return key;
    }
    if (args.length == 0) {
      return pattern;
    }
    return new MessageFormat(pattern, locale(lang)).format(args);
  }

  public static Locale locale(String lang) {
    return Locale.forLanguageTag("sw".equals(lang) ? "sw-TZ" : "en-GB");
  }

  public static String date(String lang, Instant at) {
    if (at == null) {
      return "";
    }
    return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
        .withLocale(locale(lang))
        .withZone(ZONE)
        .format(at);
  }

  public static String number(String lang, Number n) {
    return NumberFormat.getIntegerInstance(locale(lang)).format(n);
  }

  /**
   * The options of a select: each value, its words ({@code prefix.value}) in {@code lang}, and
   * whether chosen.
   */
  public java.util.List<java.util.Map<String, Object>> choices(
      String lang, String prefix, java.util.List<String> values, Object chosen) {
    return values.stream()
        .map(
            v ->
                java.util.Map.<String, Object>of(
                    "value",
                    v,
                    "label",
                    text(lang, prefix + "." + v),
                    "selected",
                    v.equals(chosen)))
        .toList();
  }

  /** A number with at most one decimal, e.g. a score of 71.4. */
  public static String decimal(String lang, Number n) {
    NumberFormat f = NumberFormat.getNumberInstance(locale(lang));
    f.setMaximumFractionDigits(1);
    return f.format(n);
  }

  /** A month by name, e.g. "Oktoba 2026" or "October 2026". */
  public static String month(String lang, java.time.YearMonth month) {
    return DateTimeFormatter.ofPattern("LLLL yyyy", locale(lang)).format(month);
  }
}
