package io.wingu.controlplane.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.DatabaseRoles;
import io.wingu.controlplane.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The hash chain on real PostgreSQL: appends, verification, tampering, and the app role's limits. */
class AuditLogIT {

  private final AuditLog audit = new AuditLog(Clock.systemUTC());
  private String url;

  @BeforeEach
  void freshDatabase() {
    Map<String, String> env = TestDatabase.applicationEnv("audit");
    url = env.get("WINGU_DB_URL");
    PGSimpleDataSource owner = new PGSimpleDataSource();
    owner.setUrl(url);
    owner.setUser(TestDatabase.OWNER_ROLE);
    owner.setPassword(TestDatabase.ROLE_PASSWORD);
    Flyway.configure().dataSource(owner).load().migrate();
    DatabaseRoles.grantApplicationRole(owner, TestDatabase.APP_ROLE);
  }

  private Connection app() throws SQLException {
    return DriverManager.getConnection(url, TestDatabase.APP_ROLE, TestDatabase.ROLE_PASSWORD);
  }

  private void appendEvents(int n) throws SQLException {
    try (Connection c = app()) {
      c.setAutoCommit(false);
      for (int i = 0; i < n; i++) {
        audit.append(c, new AuditEntry("operator", "test.event", "thing/" + i, UUID.randomUUID(), "req-" + i,
            i == 0 ? null : new JsonObject().put("n", i - 1), new JsonObject().put("n", i).put("name", "Wizara ya Afya")));
        c.commit();
      }
    }
  }

  private AuditLog.Verification verify() throws SQLException {
    try (Connection c = app()) {
      return audit.verify(c);
    }
  }

  @Test
  void anUntouchedChainVerifies() throws Exception {
    appendEvents(20);
    assertThat(verify()).isEqualTo(new AuditLog.Verification(true, 20, null));
  }

  @Test
  void concurrentAppendsKeepOneUnbrokenChain() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        done.add(pool.submit(() -> {
          appendEvents(15);
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(verify()).isEqualTo(new AuditLog.Verification(true, 90, null));
  }

  @Test
  void aModifiedRowIsFound() throws Exception {
    appendEvents(10);
    try (Connection su = TestDatabase.superuser(url); var st = su.createStatement()) {
      st.execute("UPDATE audit_event SET after = '{\"n\": 99}'::jsonb WHERE seq = 6");
    }
    var v = verify();
    assertThat(v.valid()).isFalse();
    assertThat(v.firstBrokenSeq()).isEqualTo(6L);
  }

  @Test
  void anInsertedRowIsFound() throws Exception {
    appendEvents(10);
    try (Connection su = TestDatabase.superuser(url); var st = su.createStatement()) {
      // make room after seq 4 and slip a forged event in, re-linking nothing
      st.execute("UPDATE audit_event SET seq = seq + 1000 WHERE seq > 4");
      st.execute("UPDATE audit_event SET seq = seq - 999 WHERE seq > 1000");
      st.execute("INSERT INTO audit_event (seq, at, actor, action, target, prev_hash, hash)"
          + " SELECT 5, now(), 'intruder', 'account.create', 'account/intruder', hash, repeat('a', 64)"
          + " FROM audit_event WHERE seq = 4");
    }
    var v = verify();
    assertThat(v.valid()).isFalse();
    assertThat(v.firstBrokenSeq()).isEqualTo(5L);
  }

  @Test
  void aDeletedRowIsFound() throws Exception {
    appendEvents(10);
    try (Connection su = TestDatabase.superuser(url); var st = su.createStatement()) {
      st.execute("DELETE FROM audit_event WHERE seq = 3");
    }
    var v = verify();
    assertThat(v.valid()).isFalse();
    assertThat(v.firstBrokenSeq()).isEqualTo(3L);
  }

  @Test
  void aDeletedTailIsFound() throws Exception {
    appendEvents(10);
    try (Connection su = TestDatabase.superuser(url); var st = su.createStatement()) {
      st.execute("DELETE FROM audit_event WHERE seq > 8");
    }
    var v = verify();
    assertThat(v.valid()).isFalse();
    assertThat(v.firstBrokenSeq()).isEqualTo(9L);
  }

  @Test
  void theApplicationRoleCannotUpdateDeleteOrTruncateAuditRows() throws Exception {
    appendEvents(3);
    try (Connection c = app(); var st = c.createStatement()) {
      for (String sql : List.of("UPDATE audit_event SET actor = 'someone' WHERE seq = 1",
          "DELETE FROM audit_event WHERE seq = 1", "TRUNCATE audit_event")) {
        assertThatThrownBy(() -> st.execute(sql)).as(sql)
            .isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
      }
      try (var rs = st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
        rs.next();
        assertThat(rs.getBoolean(1)).as("the application role is no superuser").isFalse();
      }
      try (var rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE tableowner = current_user")) {
        rs.next();
        assertThat(rs.getInt(1)).as("the application role owns no table").isZero();
      }
    }
    assertThat(verify().valid()).isTrue();
  }
}
