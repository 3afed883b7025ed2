package io.wingu.templates.render;

import com.fasterxml.jackson.databind.JsonNode;
import io.wingu.templates.content.Document;
import io.wingu.templates.content.FileSource;
import io.wingu.templates.content.SiteContent;
import io.wingu.templates.content.Slugs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The files of a site that are not generated: the logo, the head of institution's photo and the
 * documents. Uploaded bytes are taken only if their SHA-256 is the digest the parameters name.
 */
final class Uploads {

  static final String LOGO_SVG = "assets/logo.svg";

  private final SortedMap<String, byte[]> files = new TreeMap<>();
  private final String logoPath;
  private final String photoPath;

  /**
   * @param withDocuments false for a one-page preview, which links to documents but does not need
   *     them
   */
  Uploads(JsonNode parameters, SiteContent content, FileSource source, boolean withDocuments) {
    this.logoPath = logo(parameters.path("logo"), source);
    this.photoPath = upload(parameters.path("head").path("photo"), source);
    if (withDocuments) {
      for (Document document : content.documents()) {
        files.put(documentPath(document), verified(source, document.digest(), document.size()));
      }
    }
  }

  static String documentPath(Document document) {
    return "documents/" + document.id() + "/" + document.fileName();
  }

  private String logo(JsonNode logo, FileSource source) {
    if (logo.path("svg").isTextual()) {
      files.put(LOGO_SVG, logo.get("svg").asText().getBytes(StandardCharsets.UTF_8));
      return LOGO_SVG;
    }
    return upload(logo.path("asset"), source);
  }

  /**
   * An uploaded image {@code {digest, fileName}}, published under its digest so names never clash.
   */
  private String upload(JsonNode asset, FileSource source) {
    if (!asset.isObject()) {
      return null;
    }
    String digest = Slugs.checkSha256(asset.path("digest").asText());
    String path = "uploads/" + digest + "/" + Slugs.checkFileName(asset.path("fileName").asText());
    files.put(path, verified(source, digest, -1));
    return path;
  }

  private static byte[] verified(FileSource source, String digest, long size) {
    byte[] bytes;
    try {
      bytes = source.read(digest);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read uploaded file " + digest + ": " + e.getMessage(), e);
    }
    if (!Bundle.sha256Hex(bytes).equals(digest) || (size >= 0 && bytes.length != size)) {
      throw new IllegalArgumentException(
          "uploaded file " + digest + " does not match its digest or size");
    }
    return bytes;
  }

  /** Bundle path to bytes of every uploaded file. */
  SortedMap<String, byte[]> files() {
    return Collections.unmodifiableSortedMap(files);
  }

  /** Bundle path of the logo, or null when the site has none. */
  String logoPath() {
    return logoPath;
  }

  String photoPath() {
    return photoPath;
  }
}
