package io.wingu.controlplane.scorecard;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The scorecard's evidence SQL alone, for the benchmark that times it (the store is
 * package-private).
 */
public final class EvidenceSql {

  private EvidenceSql() {}

  /** How many institutions' evidence the month from {@code start} to {@code end} gathers. */
  public static int gather(
      Connection c,
      OffsetDateTime start,
      OffsetDateTime end,
      Function<String, String> newestVersion,
      Optional<Map<String, Set<String>>> tls)
      throws SQLException {
    return Jdbi.create(c)
        .installPlugin(new PostgresPlugin())
        .withHandle(
            h ->
                new EvidenceStore()
                    .gather(h, new EvidenceStore.Period(start, end), newestVersion, tls)
                    .size());
  }
}
