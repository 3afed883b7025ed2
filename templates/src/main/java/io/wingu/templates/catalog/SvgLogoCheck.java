package io.wingu.templates.catalog;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/**
 * Decides whether an inline SVG logo is plain vector artwork. The logo is published as a file of
 * the site, so a script, event handler or external reference inside it would run or load on the
 * institution's own origin: such logos are refused, not cleaned, so the webmaster sees why.
 */
final class SvgLogoCheck {

  private static final Set<String> ELEMENTS =
      Set.of(
          "svg",
          "g",
          "path",
          "rect",
          "circle",
          "ellipse",
          "line",
          "polyline",
          "polygon",
          "text",
          "tspan",
          "title",
          "desc",
          "defs",
          "lineargradient",
          "radialgradient",
          "stop",
          "clippath",
          "mask",
          "use",
          "symbol");
  private static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";
  private static final Set<String> LINK_ATTRIBUTES = Set.of("href", "xlink:href");

  private SvgLogoCheck() {}

  /** Why {@code svg} is not acceptable, or empty when it is. */
  static Optional<String> problem(String svg) {
    Element root;
    try {
      root =
          parser()
              .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)))
              .getDocumentElement();
    } catch (Exception e) {
      return Optional.of("is not well-formed SVG without a DOCTYPE: " + e.getMessage());
    }
    if (!"svg".equals(root.getLocalName())) {
      return Optional.of("must have <svg> as its root element");
    }
    // without the namespace, browsers do not display an .svg file as an image at all
    if (!SVG_NAMESPACE.equals(root.getNamespaceURI())) {
      return Optional.of("must declare xmlns=\"" + SVG_NAMESPACE + "\" on its <svg> element");
    }
    return problemIn(root);
  }

  private static Optional<String> problemIn(Element element) {
    String name = element.getLocalName().toLowerCase(Locale.ROOT);
    if (!ELEMENTS.contains(name)) {
      return Optional.of("must not contain <" + element.getLocalName() + ">");
    }
    NamedNodeMap attributes = element.getAttributes();
    for (int i = 0; i < attributes.getLength(); i++) {
      Optional<String> problem = attributeProblem((Attr) attributes.item(i));
      if (problem.isPresent()) {
        return problem;
      }
    }
    NodeList children = element.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      Node child = children.item(i);
      if (child.getNodeType() == Node.ELEMENT_NODE) {
        Optional<String> problem = problemIn((Element) child);
        if (problem.isPresent()) {
          return problem;
        }
      } else if (child.getNodeType() == Node.PROCESSING_INSTRUCTION_NODE) {
        return Optional.of("must not contain processing instructions");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> attributeProblem(Attr attribute) {
    String name = attribute.getName().toLowerCase(Locale.ROOT);
    String value = attribute.getValue().toLowerCase(Locale.ROOT);
    if (name.startsWith("on")) {
      return Optional.of("must not have event handler attributes (" + attribute.getName() + ")");
    }
    if (LINK_ATTRIBUTES.contains(name) && !value.startsWith("#")) {
      return Optional.of(
          "may only link inside itself (" + attribute.getName() + " must start with #)");
    }
    if (value.contains("url(") && !value.replace(" ", "").contains("url(#")) {
      return Optional.of(
          "may only reference its own gradients and clips (" + attribute.getName() + ")");
    }
    if (name.equals("style") && (value.contains("@import") || value.contains("expression("))) {
      return Optional.of("must not import styles");
    }
    return Optional.empty();
  }

  private static DocumentBuilder parser() throws ParserConfigurationException {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setXIncludeAware(false);
    factory.setExpandEntityReferences(false);
    DocumentBuilder builder = factory.newDocumentBuilder();
    builder.setErrorHandler(new QuietErrors());
    return builder;
  }

  /** Reports parse problems through the exception only, instead of also printing them to stderr. */
  private static final class QuietErrors implements ErrorHandler {
    @Override
    public void warning(SAXParseException e) {
      // warnings do not make a logo unsafe
    }

    @Override
    public void error(SAXParseException e) throws SAXParseException {
      throw e;
    }

    @Override
    public void fatalError(SAXParseException e) throws SAXParseException {
      throw e;
    }
  }
}
