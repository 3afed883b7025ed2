package io.wingu.templates.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wingu.templates.LocalizedText;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The JSON form of {@link SiteContent}, as the API receives and stores it: {@code {pages:[...],
 * news:[...], publications:[...], documents:[...]}}, every list optional.
 */
public final class ContentJson {

  /** Dates given with a time are read as the day it was in Tanzania. */
  private static final ZoneId TANZANIA = ZoneId.of("Africa/Dar_es_Salaam");

  private ContentJson() {}

  /** Reads content; any missing or malformed field fails with its path in the message. */
  public static SiteContent read(JsonNode json) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      return SiteContent.empty();
    }
    return new SiteContent(
        list(json, "pages", ContentJson::entry),
        list(json, "news", ContentJson::entry),
        list(json, "publications", ContentJson::entry),
        list(json, "documents", ContentJson::document));
  }

  /**
   * Reads one page, news item or publication: {@code {slug, title:{sw,en}, body:{sw,en},
   * publishedAt?}}.
   */
  public static ContentEntry entry(JsonNode node, String path) {
    return new ContentEntry(
        requiredText(node, "slug", path),
        LocalizedText.fromJson(node.get("title"), path + ".title"),
        LocalizedText.fromJson(node.get("body"), path + ".body"),
        date(node.get("publishedAt"), path + ".publishedAt"));
  }

  static Document document(JsonNode node, String path) {
    JsonNode title = node.get("title");
    return new Document(
        requiredText(node, "id", path),
        title != null && title.isTextual()
            ? LocalizedText.both(title.asText())
            : LocalizedText.fromJson(title, path + ".title"),
        requiredText(node, "fileName", path),
        requiredText(node, "digest", path),
        node.path("size").asLong(-1));
  }

  public static ObjectNode write(SiteContent content) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    writeEntries(json.putArray("pages"), content.pages());
    writeEntries(json.putArray("news"), content.news());
    writeEntries(json.putArray("publications"), content.publications());
    ArrayNode documents = json.putArray("documents");
    for (Document document : content.documents()) {
      ObjectNode node = documents.addObject();
      node.put("id", document.id());
      node.set("title", document.title().toJson());
      node.put("fileName", document.fileName());
      node.put("digest", document.digest());
      node.put("size", document.size());
    }
    return json;
  }

  private static void writeEntries(ArrayNode array, List<ContentEntry> entries) {
    for (ContentEntry entry : entries) {
      ObjectNode node = array.addObject();
      node.put("slug", entry.slug());
      node.set("title", entry.title().toJson());
      node.set("body", entry.body().toJson());
      if (entry.publishedAt() != null) {
        node.put("publishedAt", entry.publishedAt().toString());
      }
    }
  }

  private static <T> List<T> list(
      JsonNode json, String field, BiFunction<JsonNode, String, T> reader) {
    JsonNode array = json.get(field);
    List<T> items = new ArrayList<>();
    if (array == null || array.isNull()) {
      return items;
    }
    if (!array.isArray()) {
      throw new IllegalArgumentException(field + ": expected a list");
    }
    for (int i = 0; i < array.size(); i++) {
      items.add(reader.apply(array.get(i), field + "[" + i + "]"));
    }
    return items;
  }

  private static String requiredText(JsonNode node, String field, String path) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(path + "." + field + ": required text");
    }
    return value.asText();
  }

  private static LocalDate date(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return null;
    }
    String text = node.asText();
    try {
      return text.length() == 10
          ? LocalDate.parse(text)
          : OffsetDateTime.parse(text).atZoneSameInstant(TANZANIA).toLocalDate();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          path + ": expected a date (2026-01-31) or an ISO date-time, got '" + text + "'");
    }
  }
}
