package io.wingu.templates.content;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.text.TextContentRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

/**
 * Webmasters' Markdown to HTML that is safe to publish. Raw HTML in the Markdown is not trusted:
 * the policy keeps plain formatting and links and drops everything else (scripts, styles, event
 * handlers, frames, forms, images, and any URL that is not http, https, mailto, tel or relative).
 */
public final class Markdown {

  // tables, because tender notices and budgets are tables
  private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
  private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
  private static final HtmlRenderer HTML =
      HtmlRenderer.builder().extensions(EXTENSIONS).sanitizeUrls(true).build();
  private static final TextContentRenderer TEXT =
      TextContentRenderer.builder().extensions(EXTENSIONS).build();
  private static final PolicyFactory POLICY =
      new HtmlPolicyBuilder()
          .allowElements(
              "p",
              "br",
              "hr",
              "blockquote",
              "pre",
              "code",
              "em",
              "strong",
              "b",
              "i",
              "del",
              "sub",
              "sup",
              "ul",
              "ol",
              "li",
              "h2",
              "h3",
              "h4",
              "h5",
              "h6",
              "table",
              "thead",
              "tbody",
              "tr",
              "th",
              "td",
              "a")
          // the page already has its one <h1> (the title); a "# heading" in a body becomes a
          // section heading
          .allowElements((name, attributes) -> "h2", "h1")
          .allowAttributes("href", "title")
          .onElements("a")
          .allowUrlProtocols("http", "https", "mailto", "tel")
          .allowAttributes("start")
          .matching(Pattern.compile("[0-9]{1,6}"))
          .onElements("ol")
          .toFactory();

  private Markdown() {}

  public static String toSafeHtml(String markdown) {
    Node document = PARSER.parse(markdown);
    return POLICY.sanitize(HTML.render(document));
  }

  /**
   * The text without markup, for the search index and summaries; raw HTML is left out, not shown as
   * text.
   */
  public static String toPlainText(String markdown) {
    Node document = PARSER.parse(markdown);
    removeRawHtml(document);
    return TEXT.render(document).replaceAll("\\s+", " ").strip();
  }

  /**
   * Unlinks raw HTML nodes: their markup is not text, and the sanitized page would not show it
   * either.
   */
  private static void removeRawHtml(Node document) {
    List<Node> raw = new ArrayList<>();
    document.accept(
        new AbstractVisitor() {
          @Override
          public void visit(HtmlInline html) {
            raw.add(html);
          }

          @Override
          public void visit(HtmlBlock html) {
            raw.add(html);
          }
        });
    raw.forEach(Node::unlink);
  }

  /** At most {@code max} characters of the plain text, cut at a word boundary with an ellipsis. */
  public static String summary(String markdown, int max) {
    String text = toPlainText(markdown);
    if (text.length() <= max) {
      return text;
    }
    int cut = text.lastIndexOf(' ', max - 1);
    return text.substring(0, cut > max / 2 ? cut : max - 1).strip() + "…";
  }
}
