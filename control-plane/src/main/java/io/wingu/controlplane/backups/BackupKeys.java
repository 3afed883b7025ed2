package io.wingu.controlplane.backups;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * The keys backups are encrypted with: a Tink keyset of streaming AEAD keys (AES-256-GCM with HKDF,
 * 1 MiB segments) read from a file. The primary key encrypts new backups and its id is stored with
 * each; every key of the set decrypts, so keys rotate by adding a new primary and keeping the old
 * ones until their backups expire. The backup's id is the associated data: an object copied under
 * another backup's name does not decrypt.
 */
public final class BackupKeys {

  private final StreamingAead aead;
  private final long primaryKeyId;

  private BackupKeys(KeysetHandle keyset) throws GeneralSecurityException {
    this.aead = keyset.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    this.primaryKeyId = Integer.toUnsignedLong(keyset.getPrimary().getId());
  }

  /** Reads the keyset file (Tink's JSON keyset format, unencrypted). */
  public static BackupKeys load(Path file) throws IOException {
    try {
      StreamingAeadConfig.register();
      return new BackupKeys(
          TinkJsonProtoKeysetFormat.parseKeyset(
              Files.readString(file, StandardCharsets.UTF_8), InsecureSecretKeyAccess.get()));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IOException(
          file + " is not a Tink keyset of streaming AEAD keys: " + e.getMessage(), e);
    }
  }

  /** Writes a new keyset with one AES256_GCM_HKDF_1MB key to {@code file} (dev mode, tests). */
  public static void generate(Path file) throws IOException {
    try {
      StreamingAeadConfig.register();
      KeysetHandle keyset =
          KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
      Files.writeString(
          file,
          TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get()),
          StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot make a backup keyset: " + e.getMessage(), e);
    }
  }

  /** The id of the key new backups are encrypted with. */
  public long primaryKeyId() {
    return primaryKeyId;
  }

  OutputStream encrypting(OutputStream ciphertext, String backupId) throws IOException {
    try {
      return aead.newEncryptingStream(ciphertext, associatedData(backupId));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot start encrypting: " + e.getMessage(), e);
    }
  }

  InputStream decrypting(InputStream ciphertext, String backupId) throws IOException {
    try {
      return aead.newDecryptingStream(ciphertext, associatedData(backupId));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot start decrypting: " + e.getMessage(), e);
    }
  }

  private static byte[] associatedData(String backupId) {
    return ("wingu-backup:" + backupId).getBytes(StandardCharsets.UTF_8);
  }
}
