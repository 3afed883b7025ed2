package io.wingu.controlplane.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.DatabaseRoles;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The hash chain on real PostgreSQL: appends, verification, tampering, and the app role's limits.
 */
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

  @TempDir Path checkpointDir;
  private final AuditSigningKey key = AuditSigningKey.generate();

  private FileCheckpointStore store() {
    return new FileCheckpointStore(checkpointDir);
  }

  /** The log as the control plane runs it: verified against the latest signed checkpoint. */
  private AuditLog.Verification verifyAnchored() throws SQLException {
    try (Handle h = app()) {
      return new AuditLog(Clock.systemUTC(), store(), key).verify(h);
    }
  }

  private Optional<AuditCheckpoint> checkpointHead() throws SQLException {
    return checkpoint(checkpointer(1000, Clock.systemUTC())::checkpointHead);
  }

  private AuditCheckpointer checkpointer(int every, Clock clock) {
    return new AuditCheckpointer(new AuditLog(clock, store(), key), store(), key, every, clock);
  }

  private Optional<AuditCheckpoint> checkpoint(Database.HandleWork<Optional<AuditCheckpoint>> work)
      throws SQLException {
    try (Handle h = app()) {
      return work.run(h);
    }
  }

  /** The schema owner: may UPDATE the audit table, which the application role may not. */
  private Handle owner() {
    return Jdbi.open(url, TestDatabase.OWNER_ROLE, TestDatabase.ROLE_PASSWORD);
  }

  private Handle app() {
    return Jdbi.open(url, TestDatabase.APP_ROLE, TestDatabase.ROLE_PASSWORD);
  }

  private void appendEvents(int n) throws SQLException {
    try (Handle h = app()) {
      for (int i = 0; i < n; i++) {
        h.begin();
        audit.append(
            h,
            new AuditEntry(
                "operator",
                "test.event",
                "thing/" + i,
                UUID.randomUUID(),
                "req-" + i,
                i == 0 ? null : new JsonObject().put("n", i - 1),
                new JsonObject().put("n", i).put("name", "Wizara ya Afya")));
        h.commit();
      }
    }
  }

  /** {@code count} writers on {@code pool}, each appending {@code events} events. */
  private List<Future<?>> writers(ExecutorService pool, int count, int events) {
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 0; t < count; t++) {
      writers.add(
          pool.submit(
              () -> {
                appendEvents(events);
                return null;
              }));
    }
    return writers;
  }

  private AuditLog.Verification verify() throws SQLException {
    try (Handle h = app()) {
      return audit.verify(h);
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
      for (Future<?> f : writers(pool, 6, 15)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(verify()).isEqualTo(new AuditLog.Verification(true, 90, null));
  }

  @Test
  void anIntactChainVerifiesWhileEventsAreBeingAppended() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> writers = writers(pool, 2, 150);
      List<AuditLog.Verification> seen = new ArrayList<>();
      while (writers.stream().anyMatch(f -> !f.isDone())) {
        seen.add(verify());
      }
      for (Future<?> f : writers) {
        f.get();
      }
      assertThat(seen)
          .isNotEmpty()
          .allSatisfy(v -> assertThat(v.valid()).as(v.toString()).isTrue());
    } finally {
      pool.shutdownNow();
    }
    assertThat(verify()).isEqualTo(new AuditLog.Verification(true, 300, null));
  }

  @Test
  void aModifiedRowIsFound() throws Exception {
    appendEvents(10);
    try (Connection su = TestDatabase.superuser(url);
        var st = su.createStatement()) {
      st.execute("UPDATE audit_event SET after = '{\"n\": 99}'::jsonb WHERE seq = 6");
    }
    var v = verify();
    assertThat(v.valid()).isFalse();
    assertThat(v.firstBrokenSeq()).isEqualTo(6L);
  }

  @Test
  void anInsertedRowIsFound() throws Exception {
    appendEvents(10);
    try (Connection su = TestDatabase.superuser(url);
        var st = su.createStatement()) {
      // make room after seq 4 and slip a forged event in, re-linking nothing
      st.execute("UPDATE audit_event SET seq = seq + 1000 WHERE seq > 4");
      st.execute("UPDATE audit_event SET seq = seq - 999 WHERE seq > 1000");
      st.execute(
          "INSERT INTO audit_event (seq, at, actor, action, target, prev_hash, hash)"
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
    try (Connection su = TestDatabase.superuser(url);
        var st = su.createStatement()) {
      st.execute("DELETE FROM audit_event WHERE seq = 3");
    }
    var v = verify();
    assertThat(v.valid()).isFalse();
    assertThat(v.firstBrokenSeq()).isEqualTo(3L);
  }

  @Test
  void aDeletedTailIsFound() throws Exception {
    appendEvents(10);
    try (Connection su = TestDatabase.superuser(url);
        var st = su.createStatement()) {
      st.execute("DELETE FROM audit_event WHERE seq > 8");
    }
    var v = verify();
    assertThat(v.valid()).isFalse();
    assertThat(v.firstBrokenSeq()).isEqualTo(9L);
  }

  @Test
  void theApplicationRoleCannotUpdateDeleteOrTruncateAuditRows() throws Exception {
    appendEvents(3);
    try (Handle h = app();
        var st = h.getConnection().createStatement()) {
      for (String sql :
          List.of(
              "UPDATE audit_event SET actor = 'someone' WHERE seq = 1",
              "DELETE FROM audit_event WHERE seq = 1",
              "TRUNCATE audit_event")) {
        assertThatThrownBy(() -> st.execute(sql))
            .as(sql)
            .isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
      }
      try (var rs = st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
        rs.next();
        assertThat(rs.getBoolean(1)).as("the application role is no superuser").isFalse();
      }
      try (var rs =
          st.executeQuery("SELECT count(*) FROM pg_tables WHERE tableowner = current_user")) {
        rs.next();
        assertThat(rs.getInt(1)).as("the application role owns no table").isZero();
      }
    }
    assertThat(verify().valid()).isTrue();
  }

  @Test
  void normalOperationIsAnchoredAtTheLatestCheckpoint() throws Exception {
    assertThat(verifyAnchored())
        .as("no events, no checkpoint: nothing to anchor yet")
        .isEqualTo(new AuditLog.Verification(true, 0, null));
    appendEvents(25);
    AuditCheckpointer every10 = checkpointer(10, Clock.systemUTC());
    assertThat(checkpoint(every10::checkpointIfDue))
        .hasValueSatisfying(
            cp -> {
              assertThat(cp.seq()).as("the newest multiple of 10 passed").isEqualTo(20);
              assertThat(cp.count()).isEqualTo(20);
            });
    assertThat(checkpoint(every10::checkpointIfDue))
        .as("nothing due until seq 30 or a day later")
        .isEmpty();
    var v = verifyAnchored();
    assertThat(v.valid()).as(v.toString()).isTrue();
    assertThat(v.checked()).isEqualTo(25);
    assertThat(v.checkpointValid()).isTrue();
    assertThat(v.anchoredSeq()).isEqualTo(20L);
    assertThat(v.toJson().getString("anchoredAt")).isNotBlank();

    AuditCheckpoint head = checkpointHead().orElseThrow();
    assertThat(head.seq()).isEqualTo(25);
    assertThat(head.count()).isEqualTo(25);
    assertThat(verifyAnchored().anchoredSeq()).isEqualTo(25L);
    assertThat(checkpointHead()).as("the head is already anchored").isEmpty();

    appendEvents(2);
    Clock dayLater = Clock.offset(Clock.systemUTC(), Duration.ofDays(1).plusMinutes(1));
    assertThat(checkpoint(checkpointer(10, dayLater)::checkpointIfDue))
        .as("a day old: the head is signed")
        .hasValueSatisfying(cp -> assertThat(cp.seq()).isEqualTo(27));
    assertThat(verifyAnchored())
        .satisfies(
            after -> {
              assertThat(after.valid()).isTrue();
              assertThat(after.anchoredSeq()).isEqualTo(27L);
            });
    try (var files = Files.list(checkpointDir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "audit-checkpoint-0000000000000000020.json",
              "audit-checkpoint-0000000000000000025.json",
              "audit-checkpoint-0000000000000000027.json");
    }
  }

  @Test
  void aConsistentRewriteByTheTableOwnerFailsAgainstTheSignedCheckpoint() throws Exception {
    appendEvents(10);
    assertThat(checkpointHead()).isPresent();
    try (Handle owner = owner()) {
      ChainRewrite.rewrite(owner, 6, new JsonObject().put("n", 5).put("name", "forged"));
    }
    assertThat(verify())
        .as("the rewritten chain is internally valid: the chain alone cannot tell")
        .isEqualTo(new AuditLog.Verification(true, 10, null));

    var v = verifyAnchored();
    assertThat(v.valid()).isFalse();
    assertThat(v.reason()).isEqualTo("checkpoint-mismatch");
    assertThat(v.checkpointValid()).as("the checkpoint itself is genuine").isTrue();
    assertThat(v.firstBrokenSeq()).isEqualTo(10L);
    assertThat(v.anchoredSeq()).isNull();

    appendEvents(3);
    assertThat(checkpointHead()).as("a rewritten chain is never signed").isEmpty();
    assertThat(verifyAnchored().valid()).isFalse();
  }

  @Test
  void aCutAndRelinkedTailFailsAgainstTheSignedCheckpoint() throws Exception {
    appendEvents(10);
    assertThat(checkpointHead()).isPresent();
    try (Handle owner = owner()) {
      ChainRewrite.cutAfter(owner, 7);
    }
    assertThat(verify()).isEqualTo(new AuditLog.Verification(true, 7, null));
    var v = verifyAnchored();
    assertThat(v.valid()).isFalse();
    assertThat(v.reason()).isEqualTo("checkpoint-mismatch");
    assertThat(v.firstBrokenSeq()).isEqualTo(8L);
  }

  @Test
  void aCheckpointFileWithTheRewrittenHashButTheOldSignatureIsInvalid() throws Exception {
    appendEvents(10);
    AuditCheckpoint genuine = checkpointHead().orElseThrow();
    try (Handle owner = owner()) {
      ChainRewrite.rewrite(owner, 3, new JsonObject().put("n", 2).put("name", "forged"));
    }
    String rewrittenHead;
    try (Handle h = app()) {
      rewrittenHead = audit.latest(h, null, Page.first(1, AuditService.CURSOR)).getFirst().hash();
    }
    Path file = store().file(genuine.seq());
    Files.writeString(file, genuine.toJson().put("hash", rewrittenHead).encodePrettily());

    var v = verifyAnchored();
    assertThat(v.valid()).isFalse();
    assertThat(v.checkpointValid()).isFalse();
    assertThat(v.reason()).isEqualTo("checkpoint-signature");
    assertThat(v.anchoredSeq()).isNull();
    appendEvents(1);
    assertThat(checkpointHead()).as("nothing is signed on top of a forged checkpoint").isEmpty();
  }

  @Test
  void aCheckpointSignedWithAnotherKeyIsRejected() throws Exception {
    appendEvents(10);
    AuditCheckpoint genuine = checkpointHead().orElseThrow();
    try (Handle owner = owner()) {
      ChainRewrite.rewrite(owner, 4, new JsonObject().put("n", 3).put("name", "forged"));
    }
    String rewrittenHead;
    try (Handle h = app()) {
      rewrittenHead = audit.latest(h, null, Page.first(1, AuditService.CURSOR)).getFirst().hash();
    }
    AuditSigningKey attackers = AuditSigningKey.generate();
    AuditCheckpoint forged =
        AuditCheckpoint.sign(
            genuine.seq(), rewrittenHead, genuine.count(), genuine.at(), attackers);
    Files.writeString(store().file(genuine.seq()), forged.toJson().encodePrettily());

    var v = verifyAnchored();
    assertThat(v.valid()).isFalse();
    assertThat(v.checkpointValid()).isFalse();
    assertThat(v.reason()).isEqualTo("checkpoint-signature");
    assertThat(v.checkpointSeq()).isEqualTo(10L);
  }

  @Test
  void anUnreadableCheckpointMakesTheVerificationFail() throws Exception {
    appendEvents(3);
    assertThat(checkpointHead()).isPresent();
    Files.writeString(store().file(3), "{not json");
    var v = verifyAnchored();
    assertThat(v.valid()).isFalse();
    assertThat(v.reason()).isEqualTo("checkpoint-unreadable");
    assertThat(v.checkpointValid()).isFalse();
  }
}
