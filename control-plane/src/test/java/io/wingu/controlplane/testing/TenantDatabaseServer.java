package io.wingu.controlplane.testing;

import io.wingu.dev.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The shared tenant database server of a test JVM: a second real PostgreSQL, password auth on. */
public final class TenantDatabaseServer {

  private static LocalPostgres server;

  private TenantDatabaseServer() {}

  public static synchronized LocalPostgres get() {
    if (server == null) {
      try {
        server =
            LocalPostgres.start(
                TempDirs.create("wingu-tenant-pg").resolve("data"),
                FreePort.find(),
                "tenant-superuser-password");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    }
    return server;
  }

  /** The variables that point a control plane at it. */
  public static Map<String, String> env() {
    LocalPostgres pg = get();
    return Map.of(
        "WINGU_TENANT_DB_URL",
        pg.jdbcUrl("postgres"),
        "WINGU_TENANT_DB_USER",
        LocalPostgres.SUPERUSER,
        "WINGU_TENANT_DB_PASSWORD",
        pg.superuserPassword(),
        "WINGU_TENANT_DB_CIDR",
        "127.0.0.1/32");
  }
}
