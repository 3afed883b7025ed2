package io.wingu.controlplane.directory;

import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.sites.SiteListing;
import java.sql.Connection;
import java.sql.SQLException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The directory's search SQL alone, for the benchmark that times and explains it (the store is
 * package-private).
 */
public final class DirectorySql {

  private final DirectoryStore store = new DirectoryStore();

  /** Reads only the served sites, which need neither a database pool nor template versions. */
  private final SiteListing sites = new SiteListing(null, null);

  /** How many institutions the search finds, at most {@code max}. */
  public int search(Connection c, DirectorySearch s, int max) throws SQLException {
    return Jdbi.create(c)
        .installPlugin(new PostgresPlugin())
        .withHandle(
            h ->
                store
                    .search(
                        h,
                        s,
                        new Page(max - 1, s.after(), DirectoryService.CURSOR),
                        sites.served(h))
                    .size());
  }
}
