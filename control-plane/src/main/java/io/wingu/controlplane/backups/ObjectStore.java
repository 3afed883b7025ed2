package io.wingu.controlplane.backups;

import io.wingu.controlplane.app.WinguConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The S3-compatible store backups go to. An object appears only when its multipart upload is
 * completed, after the last byte: a dump that fails midway leaves no object, only an upload that is
 * aborted (and that the store forgets).
 */
public final class ObjectStore implements AutoCloseable {

  /** Bytes per uploaded part (S3 wants at least 5 MiB for all parts but the last). */
  private static final int PART_BYTES = 16 * 1024 * 1024;

  private final S3Client s3;
  private final String bucket;

  ObjectStore(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /** A client for the configured store. */
  public static ObjectStore of(WinguConfig.Backups config) {
    AwsCredentialsProvider credentials =
        config.s3AccessKey().isPresent()
            ? StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    config.s3AccessKey().get(), config.s3SecretKey().orElse("")))
            : AnonymousCredentialsProvider.create();
    S3Client s3 =
        S3Client.builder()
            .endpointOverride(URI.create(config.s3Endpoint().orElseThrow()))
            .region(Region.of(config.s3Region()))
            .forcePathStyle(config.s3PathStyle())
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    return new ObjectStore(s3, config.s3Bucket());
  }

  public String bucket() {
    return bucket;
  }

  /** Makes the bucket when it is missing. */
  public void ensureBucket() throws IOException {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (NoSuchBucketException e) {
      try {
        s3.createBucket(b -> b.bucket(bucket));
      } catch (SdkException c) {
        throw unreachable("make the bucket " + bucket, c);
      }
    } catch (SdkException e) {
      if (e instanceof software.amazon.awssdk.services.s3.model.S3Exception s
          && s.statusCode() == 404) {
        try {
          s3.createBucket(b -> b.bucket(bucket));
          return;
        } catch (SdkException c) {
          throw unreachable("make the bucket " + bucket, c);
        }
      }
      throw unreachable("reach the bucket " + bucket, e);
    }
  }

  /** Starts writing an object; it exists only once {@link Upload#close} returned. */
  Upload upload(String key) throws IOException {
    try {
      String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
      return new Upload(key, id);
    } catch (SdkException e) {
      throw unreachable("start uploading " + key, e);
    }
  }

  /** The object's bytes as stored. */
  InputStream download(String key) throws IOException {
    try {
      return s3.getObject(b -> b.bucket(bucket).key(key));
    } catch (NoSuchKeyException e) {
      throw new IOException("the object " + key + " is missing from bucket " + bucket, e);
    } catch (SdkException e) {
      throw unreachable("download " + key, e);
    }
  }

  /** Replaces an object whole (tests use it to change a byte in the store). */
  void put(String key, byte[] bytes) throws IOException {
    try {
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw unreachable("write " + key, e);
    }
  }

  /** Deletes an object; a missing one is not an error. */
  void delete(String key) throws IOException {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw unreachable("delete " + key, e);
    }
  }

  private IOException unreachable(String what, SdkException e) {
    return new IOException("the backup store could not " + what + ": " + e.getMessage(), e);
  }

  @Override
  public void close() {
    s3.close();
  }

  /**
   * A multipart upload as an output stream that counts and hashes what it sends: {@link #close}
   * completes it, {@link #abort} throws it away.
   */
  final class Upload extends OutputStream {
    private final String key;
    private final String uploadId;
    private final byte[] part = new byte[PART_BYTES];
    private final List<CompletedPart> parts = new ArrayList<>();
    private final MessageDigest sha256;
    private int filled;
    private long size;
    private boolean finished;

    private Upload(String key, String uploadId) {
      this.key = key;
      this.uploadId = uploadId;
      try {
        this.sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        int n = Math.min(len, part.length - filled);
        System.arraycopy(b, off, part, filled, n);
        filled += n;
        off += n;
        len -= n;
        if (filled == part.length) {
          sendPart();
        }
      }
    }

    private void sendPart() throws IOException {
      int number = parts.size() + 1;
      sha256.update(part, 0, filled);
      size += filled;
      try {
        String etag =
            s3.uploadPart(
                    b ->
                        b.bucket(bucket)
                            .key(key)
                            .uploadId(uploadId)
                            .partNumber(number)
                            .contentLength((long) filled),
                    RequestBody.fromByteBuffer(ByteBuffer.wrap(part, 0, filled)))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      } catch (SdkException e) {
        throw unreachable("upload part " + number + " of " + key, e);
      }
      filled = 0;
    }

    /** Sends the last part and completes the upload: the object now exists. */
    @Override
    public void close() throws IOException {
      if (finished) {
        return;
      }
      if (filled > 0 || parts.isEmpty()) {
        sendPart();
      }
      try {
        s3.completeMultipartUpload(
            b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
      } catch (SdkException e) {
        throw unreachable("complete " + key, e);
      }
      finished = true;
    }

    /** Throws the upload away; no object appears. Never throws. */
    void abort() {
      if (finished) {
        return;
      }
      finished = true;
      try {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
      } catch (SdkException e) {
        // the store may be down: an upload never completed is no object, and stores expire it
      }
    }

    long size() {
      return size;
    }

    String sha256() {
      return HexFormat.of().formatHex(sha256.digest());
    }
  }
}
