package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Secret db-<site>: the only place a tenant database's credentials exist. */
public final class DatabaseSecrets {

  /** Where and how the site's application connects. */
  public record Credentials(
      String host, int port, String database, String username, String password) {}

  private DatabaseSecrets() {}

  public static String name(Tenant.Site s) {
    return "db-" + s.name();
  }

  /** The Secret of a database a restore made beside the site's: db-<site>-restored-<n>. */
  public static String restoredName(Tenant.Site s, int number) {
    return name(s) + "-restored-" + number;
  }

  public static Secret desired(Tenant t, Tenant.Site s, Credentials c) {
    return desired(t, s, name(s), c);
  }

  /** The Secret {@code secretName} of the site, holding {@code c}. */
  public static Secret desired(Tenant t, Tenant.Site s, String secretName, Credentials c) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("host", c.host());
    data.put("port", String.valueOf(c.port()));
    data.put("database", c.database());
    data.put("username", c.username());
    data.put("password", c.password());
    data.put("jdbc-url", "jdbc:postgresql://" + c.host() + ":" + c.port() + "/" + c.database());
    data.put(
        "uri",
        "postgresql://"
            + c.username()
            + ":"
            + URLEncoder.encode(c.password(), StandardCharsets.UTF_8)
            + "@"
            + c.host()
            + ":"
            + c.port()
            + "/"
            + c.database());
    return new SecretBuilder()
        .withMetadata(Labels.siteObject(t, s, secretName))
        .withType("Opaque")
        .withStringData(data)
        .build();
  }
}
