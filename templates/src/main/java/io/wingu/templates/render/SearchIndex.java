package io.wingu.templates.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wingu.templates.Language;
import java.util.Comparator;
import java.util.List;

/**
 * The prebuilt index the search page's script reads, one per language: {@code [{"t": title, "u":
 * url relative to the language folder, "x": text}]}, sorted by url.
 */
final class SearchIndex {

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // escape <, >, & and quotes as \\uXXXX so the index stays inert even if served or embedded as
    // HTML
    JSON.getFactory().setCharacterEscapes(new HtmlSafeEscapes());
  }

  private static final int MAX_TEXT = 600;

  private SearchIndex() {}

  static String path(Language language) {
    return language.code() + "/search-index.json";
  }

  static byte[] json(Language language, List<PlannedPage> pages) {
    ArrayNode index = JSON.createArrayNode();
    String prefix = language.code() + "/";
    pages.stream()
        .sorted(Comparator.comparing(PlannedPage::path))
        .forEach(
            page -> {
              ObjectNode entry = index.addObject();
              entry.put("t", page.title());
              entry.put("u", page.path().substring(prefix.length()));
              String text = page.searchText();
              entry.put("x", text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text);
            });
    try {
      return JSON.writeValueAsBytes(index);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write search index", e);
    }
  }

  /** Jackson's standard escaping plus the characters that mean something in HTML. */
  private static final class HtmlSafeEscapes extends CharacterEscapes {
    private final int[] escapes = standardAsciiEscapesForJSON();

    HtmlSafeEscapes() {
      for (char c : new char[] {'<', '>', '&', '\'', '"'}) {
        escapes[c] = CharacterEscapes.ESCAPE_STANDARD;
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return escapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null;
    }
  }
}
