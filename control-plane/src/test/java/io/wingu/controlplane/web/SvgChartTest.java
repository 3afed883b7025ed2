package io.wingu.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The server-drawn charts: well-formed SVG images named by their title and description, text
 * escaped.
 */
class SvgChartTest {

  static Document parse(String svg) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aLineChartIsAnImageNamedByItsTitleAndDescriptionWithEveryTextEscaped() throws Exception {
    String svg =
        SvgChart.lines(
            "cpu\"><script>",
            "CPU <used> & \"quota\"",
            "peak 'high' </desc>",
            new SvgChart.Series("Used <b>", List.of(100.0, 450.0, 300.0)),
            500.0,
            "Quota & more",
            List.of("1 Mar <a>", "2 Mar", "3 Mar"),
            v -> String.valueOf(Math.round(v)));
    Document doc = parse(svg);
    var root = doc.getDocumentElement();
    assertThat(root.getAttribute("role")).isEqualTo("img");
    assertThat(root.getAttribute("aria-labelledby")).isEqualTo("cpuscript-title cpuscript-desc");
    assertThat(doc.getElementsByTagName("title").item(0).getTextContent())
        .isEqualTo("CPU <used> & \"quota\"");
    assertThat(doc.getElementsByTagName("desc").item(0).getTextContent())
        .isEqualTo("peak 'high' </desc>");
    assertThat(doc.getElementsByTagName("script").getLength()).isZero();
    assertThat(svg).contains("1 Mar &lt;a&gt;").contains("Quota &amp; more").doesNotContain("<b>");
    assertThat(
            doc.getElementsByTagName("polyline")
                .item(0)
                .getAttributes()
                .getNamedItem("points")
                .getNodeValue()
                .split(" "))
        .hasSize(3);
  }

  @Test
  void barsDrawOneBarPerSeriesForEveryGroup() throws Exception {
    Document doc =
        parse(
            SvgChart.bars(
                "nodes",
                "CPU per node",
                "two nodes",
                List.of("Allocatable", "Requested", "Used"),
                List.of(
                    new SvgChart.Group("node-a", List.of(3800.0, 300.0, 1200.0)),
                    new SvgChart.Group("node-b", List.of(2000.0, 0.0, 500.0))),
                v -> String.valueOf(v)));
    assertThat(doc.getElementsByTagName("rect").getLength()).isEqualTo(6);
    assertThat(doc.getDocumentElement().getTextContent())
        .contains("node-a")
        .contains("node-b")
        .contains("Requested");
  }

  @Test
  void axesEndOnRoundNumbers() {
    assertThat(SvgChart.niceMax(3800)).isEqualTo(4000);
    assertThat(SvgChart.niceMax(450)).isEqualTo(500);
    assertThat(SvgChart.niceMax(512)).isEqualTo(600);
    assertThat(SvgChart.niceMax(0)).isEqualTo(4);
  }
}
