package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The ConfigMap {@code <site>-web}: Wingu's own nginx server block for a site's web server, mounted
 * over the image's {@code conf.d}. The image's default server serves every file inline with a type
 * guessed from its name; uploaded documents (templates Uploads: {@code documents/<id>/}) are only
 * ever offered for download, in a sandbox, and never sniffed — a second lock behind the PDF check
 * at upload. Only the server block is Wingu's: pid and the temp paths of the main nginx.conf stay
 * the unprivileged image's (/tmp).
 */
public final class SiteWebConfigs {

  public static final String KEY = "default.conf";

  /** Where the image includes server blocks from ({@code include /etc/nginx/conf.d/*.conf}). */
  public static final String MOUNT_PATH = "/etc/nginx/conf.d";

  public static final String ROOT = "/usr/share/nginx/html";

  /**
   * Pod-template annotation: a changed configuration rolls the pods (nginx reads it at start only).
   */
  public static final String CHECKSUM_ANNOTATION = "wingu.io/web-config-sha256";

  private static final String REFERRER_POLICY =
      "add_header Referrer-Policy \"strict-origin-when-cross-origin\" always;";
  private static final String NOSNIFF = "add_header X-Content-Type-Options \"nosniff\" always;";

  private static final String DEFAULT_CONF =
      """
      # Wingu's server for a site's published bundle (control-plane provisioning/SiteWebConfigs.java).
      server {
          listen %1$d;
          server_name _;
          root %2$s;
          index index.html;
          server_tokens off;
          # redirects (a directory without its slash) keep the visitor's host and port, not the pod's
          absolute_redirect off;
          # request bodies are never needed by static files; if one is buffered, then in the pod's writable /tmp
          client_body_temp_path /tmp/client_temp;

          # every answer, errors included
          %3$s
          %4$s

          # uploaded documents: always a download, never rendered as a page of the site's origin.
          # add_header here replaces the server's, so those are repeated.
          location /documents/ {
              types {
                  application/pdf pdf;
              }
              default_type application/octet-stream;
              add_header Content-Disposition "attachment" always;
              add_header Content-Security-Policy "sandbox; default-src 'none'" always;
              %3$s
              %4$s
          }
      }
      """
          .formatted(SiteDeployments.PORT, ROOT, NOSNIFF, REFERRER_POLICY);

  private SiteWebConfigs() {}

  public static String name(Tenant.Site s) {
    return s.name() + "-web";
  }

  /** The server block, the same for every site. */
  public static String defaultConf() {
    return DEFAULT_CONF;
  }

  public static ConfigMap desired(Tenant t, Tenant.Site s) {
    return new ConfigMapBuilder()
        .withMetadata(Labels.siteObject(t, s, name(s)))
        .addToData(KEY, DEFAULT_CONF)
        .build();
  }

  /** Lowercase hex SHA-256 of the configuration. */
  public static String checksum() {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(DEFAULT_CONF.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
