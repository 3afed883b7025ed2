package io.wingu.templates.content;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownTest {

  @Test
  void formattingListsTablesAndSafeLinksSurvive() {
    String html =
        Markdown.toSafeHtml(
            """
                # Title
                Some **bold** and [a link](https://www.example.go.tz/a) and [mail](mailto:info@example.go.tz).

                - one
                - two

                | a | b |
                |---|---|
                | 1 | 2 |
                """);
    assertThat(html)
        .contains(
            "<h2>Title</h2>",
            "<strong>bold</strong>",
            "<a href=\"https://www.example.go.tz/a\"",
            "href=\"mailto:info&#64;example.go.tz\"",
            "<li>one</li>",
            "<table>",
            "<td>1</td>");
    assertThat(html).doesNotContain("<h1");
  }

  @Test
  void rawHtmlIsCleanedAndScriptUrlsDropped() {
    String html =
        Markdown.toSafeHtml(
            """
                <script>alert(1)</script>
                <p onclick="alert(1)" style="color:red">kept text</p>

                [click](javascript:alert(1)) <a href="JaVaScRiPt:alert(1)">raw</a> <img src=x onerror=alert(1)>
                <iframe src="https://evil.example"></iframe>
                """);
    assertThat(html).contains("kept text", "click", "raw");
    assertThat(html.toLowerCase())
        .doesNotContain(
            "<script", "onclick", "onerror", "javascript:", "<iframe", "style=", "<img");
  }

  @Test
  void plainTextLeavesRawHtmlOutAndSummaryCutsAtAWord() {
    assertThat(Markdown.toPlainText("Hello <b>bold</b> *world*\n\n<div>block</div>"))
        .isEqualTo("Hello bold world");
    assertThat(Markdown.summary("one two three four five", 12)).isEqualTo("one two…");
    assertThat(Markdown.summary("short", 12)).isEqualTo("short");
  }
}
