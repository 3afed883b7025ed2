package io.wingu.dev;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one cluster run, for the one link static tokens cannot carry:
 * the API server calling the kubelet (logs, exec, the node proxy). The kubelet serves with a
 * certificate for its node IP and accepts the API server's client certificate; both trust only this
 * authority, whose key never leaves the run folder.
 */
final class ClusterCertificates {

  private static final Duration VALIDITY = Duration.ofDays(365);

  private final KeyPair caKeys;
  private final X509Certificate ca;

  private ClusterCertificates(KeyPair caKeys, X509Certificate ca) {
    this.caKeys = caKeys;
    this.ca = ca;
  }

  static ClusterCertificates create() throws IOException {
    KeyPair keys = ecKeys();
    X500Name name = new X500Name("CN=wingu-local-cluster-ca");
    X509v3CertificateBuilder b = builder(name, name, keys.getPublic());
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new ClusterCertificates(keys, sign(b, keys));
  }

  /** Writes the authority's certificate (never its key). */
  Path writeAuthority(Path file) throws IOException {
    return write(file, pem("CERTIFICATE", encoded(ca)));
  }

  /**
   * A serving certificate for {@code ip}, written as {@code <prefix>.crt} and {@code <prefix>.key}.
   */
  void writeServer(Path prefix, String commonName, String ip) throws IOException {
    KeyPair keys = ecKeys();
    X509v3CertificateBuilder b =
        builder(caSubject(), new X500Name("CN=" + commonName), keys.getPublic());
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, ip)));
    writePair(prefix, sign(b, caKeys), keys);
  }

  /** A client certificate for user {@code commonName} in group {@code organisation}. */
  void writeClient(Path prefix, String commonName, String organisation) throws IOException {
    KeyPair keys = ecKeys();
    X509v3CertificateBuilder b =
        builder(
            caSubject(), new X500Name("O=" + organisation + ",CN=" + commonName), keys.getPublic());
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    writePair(prefix, sign(b, caKeys), keys);
  }

  private X500Name caSubject() {
    return X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
  }

  private static void writePair(Path prefix, X509Certificate cert, KeyPair keys)
      throws IOException {
    write(prefix.resolveSibling(prefix.getFileName() + ".crt"), pem("CERTIFICATE", encoded(cert)));
    write(
        prefix.resolveSibling(prefix.getFileName() + ".key"),
        pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, PublicKey key) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(127, new SecureRandom()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(VALIDITY)),
        subject,
        key);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuerKeys) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              b.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate: " + e.getMessage(), e);
    }
  }

  private static KeyPair ecKeys() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(256);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] encoded(X509Certificate cert) {
    try {
      return cert.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  static Path write(Path file, String content) throws IOException {
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }
}
