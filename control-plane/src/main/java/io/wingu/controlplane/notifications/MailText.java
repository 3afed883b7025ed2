package io.wingu.controlplane.notifications;

import com.github.jknack.handlebars.Handlebars;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of every mail, in Swahili and English ({@code notifications/mail_<lang>.properties}): a
 * subject and a plain body per kind, with {@code {name}} placeholders. The HTML part is the plain
 * body, escaped, one paragraph per blank-line-separated block.
 *
 * <p>Anything a person typed (an institution's or a site's name, a reason) can reach the subject,
 * which is a header: {@link #headerValue} makes it one line, so no CR or LF can start a header of
 * its own.
 */
public final class MailText {

  /** One mail as a recipient reads it. */
  public record Rendered(String subject, String text, String html) {}

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u0085\\u2028\\u2029]+");

  /** An e-mail address as the sender accepts it: one line, no display name, no comment. */
  private static final Pattern ADDRESS =
      Pattern.compile("[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,63}");

  private final Map<String, Properties> bundles;

  private MailText(Map<String, Properties> bundles) {
    this.bundles = bundles;
  }

  public static MailText load() {
    return new MailText(Map.of("sw", bundle("sw"), "en", bundle("en")));
  }

  private static Properties bundle(String language) {
    String name = "/notifications/mail_" + language + ".properties";
    try (InputStream in = MailText.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing " + name);
      }
      Properties p = new Properties();
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The words of one key in one language; a key missing there is a bug the tests catch. */
  public String word(String language, String key) {
    String v = bundles.getOrDefault(language, bundles.get("sw")).getProperty(key);
    if (v == null) {
      throw new IllegalStateException("no mail text " + key + " in " + language);
    }
    return v;
  }

  /** The mail of {@code kind} in {@code language} with the values of its placeholders. */
  public Rendered render(Kind kind, String language, Map<String, String> values) {
    String subject =
        headerValue(fill(word(language, kind.wireName() + ".subject"), values, false), 200);
    String body =
        fill(word(language, "greeting"), values, false)
            + "\n\n"
            + fill(word(language, kind.wireName() + ".body"), values, false)
            + "\n\n"
            + word(language, "footer");
    String html =
        "<!DOCTYPE html><html lang=\""
            + language
            + "\"><head><meta charset=\"utf-8\"><title>"
            + escape(subject)
            + "</title></head><body>"
            + paragraphs(
                fill(word(language, "greeting"), values, true)
                    + "\n\n"
                    + fill(word(language, kind.wireName() + ".body"), values, true)
                    + "\n\n"
                    + escape(word(language, "footer")))
            + "</body></html>";
    return new Rendered(subject, body, html);
  }

  private static String fill(String template, Map<String, String> values, boolean html) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      String between = template.substring(last, m.start());
      String v = values.getOrDefault(m.group(1), "");
      out.append(html ? escape(between) : between).append(html ? escape(v) : v);
      last = m.end();
    }
    String rest = template.substring(last);
    out.append(html ? escape(rest) : rest);
    return out.toString();
  }

  private static String paragraphs(String escaped) {
    StringBuilder out = new StringBuilder();
    for (String block : escaped.split("\n\\s*\n")) {
      out.append("<p>").append(block.strip().replace("\n", "<br>")).append("</p>");
    }
    return out.toString();
  }

  /** Text made safe inside HTML elements and attribute values. */
  static String escape(String s) {
    return Handlebars.Utils.escapeExpression(s).toString();
  }

  /**
   * A value for a header: every run of control characters (CR, LF, tab, NEL, the Unicode line and
   * paragraph separators…) becomes one space, and it is cut at {@code max} characters.
   */
  public static String headerValue(String s, int max) {
    String one = CONTROL.matcher(s).replaceAll(" ").strip();
    return one.length() <= max ? one : one.substring(0, max - 1) + "…";
  }

  /** Whether the sender may put {@code s} in a header as it is (no CR, LF or other control). */
  public static boolean headerSafe(String s) {
    return s != null && !CONTROL.matcher(s).find();
  }

  /** Whether {@code s} is a plain address the sender can deliver to. */
  public static boolean isAddress(String s) {
    return s != null && s.length() <= 254 && ADDRESS.matcher(s).matches();
  }
}
