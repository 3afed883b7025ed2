package io.wingu.templates.content;

import java.io.IOException;

/**
 * Where the renderer gets the bytes of uploaded files (documents, logo, photos), by SHA-256 digest.
 */
@FunctionalInterface
public interface FileSource {

  byte[] read(String digest) throws IOException;

  /** For sites without uploaded files: asking it for one is an error that names the digest. */
  static FileSource none() {
    return digest -> {
      throw new IOException(
          "the site refers to uploaded file " + digest + " but no file source was given");
    };
  }
}
