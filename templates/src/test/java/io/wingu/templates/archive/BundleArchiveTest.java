package io.wingu.templates.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wingu.templates.UnsafePathException;
import io.wingu.templates.render.Bundle;
import io.wingu.templates.testing.ExampleSites;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleArchiveTest {

  @TempDir Path dir;

  @Test
  void extractsEveryFileOfABundle() throws IOException {
    Bundle bundle = ExampleSites.bundle("regional-office");
    int files =
        BundleArchive.extract(new ByteArrayInputStream(bundle.toTarGz()), dir.resolve("site"));

    assertThat(files).isEqualTo(bundle.files().size());
    assertThat(Files.readAllBytes(dir.resolve("site/sw/index.html")))
        .isEqualTo(bundle.file("sw/index.html").orElseThrow());
  }

  @Test
  void refusesClimbingOutAbsolutePathsLinksAndDevices() {
    assertRefused(tar -> file(tar, "../outside.html"));
    assertRefused(tar -> file(tar, "sw/../../outside.html"));
    assertRefused(tar -> file(tar, "/etc/cron.d/evil"));
    assertRefused(tar -> special(tar, "link", TarConstants.LF_SYMLINK, "/etc/passwd"));
    assertRefused(tar -> special(tar, "hard", TarConstants.LF_LINK, "../x"));
    assertRefused(tar -> special(tar, "null", TarConstants.LF_CHR, null));
    assertRefused(tar -> special(tar, "fifo", TarConstants.LF_FIFO, null));
    assertThat(dir.getParent().resolve("outside.html")).doesNotExist();
  }

  private void assertRefused(Consumer<TarArchiveOutputStream> entries) {
    byte[] archive = tarGz(entries);
    assertThatThrownBy(
            () -> BundleArchive.extract(new ByteArrayInputStream(archive), dir.resolve("out")))
        .isInstanceOf(UnsafePathException.class);
  }

  /** Writes archives the way an attacker would, bypassing the bundle builder's own checks. */
  private static byte[] tarGz(Consumer<TarArchiveOutputStream> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      entries.accept(tar);
      tar.finish();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void file(TarArchiveOutputStream tar, String name) {
    try {
      byte[] body = "x".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry entry = new TarArchiveEntry(name, true);
      entry.setSize(body.length);
      tar.putArchiveEntry(entry);
      tar.write(body);
      tar.closeArchiveEntry();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void special(TarArchiveOutputStream tar, String name, byte type, String linkName) {
    try {
      TarArchiveEntry entry = new TarArchiveEntry(name, type);
      if (linkName != null) {
        entry.setLinkName(linkName);
      }
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
