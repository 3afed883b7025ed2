package io.wingu.templates.render;

import io.wingu.templates.archive.BundlePaths;
import io.wingu.templates.archive.DeterministicTarGz;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every static file of one site revision, by relative path in sorted order. Immutable; the same
 * rendering input gives the same files, the same {@link #toTarGz()} bytes and the same {@link
 * #digest()}.
 */
public final class Bundle {

  private final SortedMap<String, byte[]> files;
  private volatile byte[] tarGz;

  private Bundle(SortedMap<String, byte[]> files) {
    this.files = Collections.unmodifiableSortedMap(files);
  }

  /** Path to bytes, sorted by path. The arrays are the bundle's own: do not modify them. */
  public SortedMap<String, byte[]> files() {
    return files;
  }

  public Optional<byte[]> file(String path) {
    return Optional.ofNullable(files.get(path));
  }

  public Optional<String> text(String path) {
    return file(path).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * The deterministic tar.gz of all files; computed once. The array is shared: do not modify it.
   */
  public byte[] toTarGz() {
    byte[] packed = tarGz;
    if (packed == null) {
      packed = DeterministicTarGz.pack(files);
      tarGz = packed;
    }
    return packed;
  }

  /** Lowercase hex SHA-256 of {@link #toTarGz()}: the revision's content address. */
  public String digest() {
    return sha256Hex(toTarGz());
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static Builder builder() {
    return new Builder();
  }

  /**
   * Collects files; a path that is unsafe or given twice is a programming error and fails at once.
   */
  static final class Builder {
    private final SortedMap<String, byte[]> files = new TreeMap<>();

    Builder put(String path, byte[] bytes) {
      if (files.putIfAbsent(BundlePaths.check(path), bytes) != null) {
        throw new IllegalStateException("two files for one bundle path: " + path);
      }
      return this;
    }

    Builder put(String path, String text) {
      return put(path, text.getBytes(StandardCharsets.UTF_8));
    }

    Bundle build() {
      return new Bundle(new TreeMap<>(files));
    }
  }
}
