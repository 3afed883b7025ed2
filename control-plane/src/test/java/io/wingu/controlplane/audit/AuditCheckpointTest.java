package io.wingu.controlplane.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing and verifying checkpoints, and keeping them in a folder. */
class AuditCheckpointTest {

  private static final String HASH = "ab".repeat(32);
  private static final Instant AT = Instant.parse("2026-03-01T08:00:00.123Z");
  private final AuditSigningKey key = AuditSigningKey.generate();

  @Test
  void aSignedCheckpointVerifiesWithItsKeyAndSurvivesJson() {
    AuditCheckpoint cp = AuditCheckpoint.sign(1000, HASH, 1000, AT, key);
    assertThat(cp.signedBy(key)).isTrue();
    assertThat(cp.keyId()).isEqualTo(key.keyId()).hasSize(16);
    AuditCheckpoint back = AuditCheckpoint.fromJson(new JsonObject(cp.toJson().encode()));
    assertThat(back).isEqualTo(cp);
    assertThat(back.signedBy(key)).isTrue();
  }

  @Test
  void anyChangedFieldBreaksTheSignature() {
    AuditCheckpoint cp = AuditCheckpoint.sign(1000, HASH, 1000, AT, key);
    String otherHash = "cd".repeat(32);
    assertThat(
            new AuditCheckpoint(
                    cp.seq(), otherHash, cp.count(), cp.at(), cp.keyId(), cp.signature())
                .signedBy(key))
        .isFalse();
    assertThat(
            new AuditCheckpoint(999, cp.hash(), cp.count(), cp.at(), cp.keyId(), cp.signature())
                .signedBy(key))
        .isFalse();
    assertThat(
            new AuditCheckpoint(cp.seq(), cp.hash(), 999, cp.at(), cp.keyId(), cp.signature())
                .signedBy(key))
        .isFalse();
    assertThat(
            new AuditCheckpoint(
                    cp.seq(), cp.hash(), cp.count(), AT.plusSeconds(1), cp.keyId(), cp.signature())
                .signedBy(key))
        .isFalse();
    assertThat(
            new AuditCheckpoint(cp.seq(), cp.hash(), cp.count(), cp.at(), cp.keyId(), "not base64!")
                .signedBy(key))
        .isFalse();
  }

  @Test
  void aCheckpointSignedWithAnotherKeyIsRejected() {
    AuditSigningKey other = AuditSigningKey.generate();
    AuditCheckpoint forged = AuditCheckpoint.sign(1000, HASH, 1000, AT, other);
    assertThat(forged.signedBy(other)).isTrue();
    assertThat(forged.signedBy(key)).isFalse();
    // claiming our key's id changes nothing: the signature is checked with our public key
    AuditCheckpoint relabelled =
        new AuditCheckpoint(
            forged.seq(),
            forged.hash(),
            forged.count(),
            forged.at(),
            key.keyId(),
            forged.signature());
    assertThat(relabelled.signedBy(key)).isFalse();
  }

  @Test
  void keysAreReadFromPemFilesAndAPublicKeyOfAnotherPairIsRefused(@TempDir Path dir)
      throws IOException {
    AuditSigningKey generated = AuditSigningKey.generateOnce(dir);
    AuditSigningKey read =
        AuditSigningKey.read(
            AuditSigningKey.privateKeyFile(dir), AuditSigningKey.publicKeyFile(dir));
    assertThat(read.keyId()).isEqualTo(generated.keyId());
    assertThat(AuditCheckpoint.sign(5, HASH, 5, AT, generated).signedBy(read)).isTrue();
    assertThat(Files.readString(AuditSigningKey.privateKeyFile(dir)))
        .startsWith("-----BEGIN PRIVATE KEY-----");

    Path otherDir = Files.createDirectory(dir.resolve("other"));
    AuditSigningKey.generateOnce(otherDir);
    assertThatThrownBy(
            () ->
                AuditSigningKey.read(
                    AuditSigningKey.privateKeyFile(dir), AuditSigningKey.publicKeyFile(otherDir)))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("is not the public half");
    Files.writeString(dir.resolve("junk.pem"), "hello");
    assertThatThrownBy(
            () -> AuditSigningKey.read(dir.resolve("junk.pem"), AuditSigningKey.publicKeyFile(dir)))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("WINGU_AUDIT_SIGNING_KEY");
  }

  @Test
  void theFolderKeepsOneFilePerSeqAndTheLatestIsTheHighestSeq(@TempDir Path dir)
      throws IOException {
    FileCheckpointStore store = new FileCheckpointStore(dir);
    assertThat(store.latest()).isEmpty();
    AuditCheckpoint nine = AuditCheckpoint.sign(9, HASH, 9, AT, key);
    AuditCheckpoint thousand = AuditCheckpoint.sign(1000, HASH, 1000, AT, key);
    assertThat(store.put(thousand)).isTrue();
    assertThat(store.put(nine)).isTrue();
    assertThat(store.latest()).contains(thousand);
    // a second replica signing the same seq leaves the first file as it was
    AuditCheckpoint again = AuditCheckpoint.sign(1000, HASH, 1000, AT.plusSeconds(5), key);
    assertThat(store.put(again)).isFalse();
    assertThat(store.latest()).contains(thousand);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "audit-checkpoint-0000000000000000009.json",
              "audit-checkpoint-0000000000000001000.json");
    }
    Files.writeString(
        store.file(2000), "{\"purpose\": \"wingu-audit-checkpoint-v1\", \"seq\": \"x\"}");
    assertThatThrownBy(store::latest)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("audit-checkpoint-0000000000000002000.json");
  }
}
