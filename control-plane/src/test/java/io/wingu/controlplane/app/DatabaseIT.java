package io.wingu.controlplane.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wingu.controlplane.testing.TestDatabase;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Migrations against a real PostgreSQL server. */
class DatabaseIT {

  @Test
  void migratesAnEmptyDatabaseAndReadsBack() throws Exception {
    var server = TestDatabase.server();
    String url = TestDatabase.newDatabase("migrate");
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url);
    ds.setUser(server.user());
    ds.setPassword(server.password());

    Database.migrate(ds, url);
    Database.migrate(ds, url); // a second run has nothing to do

    try (var c = ds.getConnection();
        var st = c.createStatement()) {
      try (var rs = st.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
        rs.next();
        assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(1);
      }
      st.execute("INSERT INTO platform_setting (key, value) VALUES ('test.answer', '42'::jsonb)");
      try (var rs =
          st.executeQuery("SELECT value::text FROM platform_setting WHERE key = 'test.answer'")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("42");
      }
      assertThatThrownBy(
              () -> st.execute("INSERT INTO platform_setting (key, value) VALUES ('Bad Key', '1')"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("platform_setting_key_check");
    }
  }

  @Test
  void aWrongPasswordIsRefused() {
    var server = TestDatabase.server();
    assertThatThrownBy(
            () ->
                DriverManager.getConnection(
                    server.jdbcUrl("postgres"), server.user(), "not-the-password"))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
  }
}
