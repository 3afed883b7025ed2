package io.wingu.controlplane.auth;

import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.SqlStates;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** SQL for accounts and their sign-in failure counters. */
public final class AccountStore {

  public Account insert(Connection c, String username, String password, Role role, Optional<UUID> institution)
      throws SQLException {
    Account a = new Account(UUID.randomUUID(), username, Passwords.hash(password), role, institution, 0, null);
    try (var st = c.prepareStatement("INSERT INTO account (id, username, password_hash, role, institution_id)"
        + " VALUES (?, ?, ?, ?, ?)")) {
      st.setObject(1, a.id());
      st.setString(2, a.username());
      st.setString(3, a.passwordHash());
      st.setString(4, role.wireName());
      st.setObject(5, institution.orElse(null));
      st.executeUpdate();
    } catch (SQLException e) {
      if (SqlStates.isUniqueViolation(e, "account_username_key")) {
        throw Problem.conflict("The username '" + username + "' is taken");
      }
      throw e;
    }
    return a;
  }

  public Optional<Account> findByUsername(Connection c, String username) throws SQLException {
    try (var st = c.prepareStatement("SELECT * FROM account WHERE username = ?")) {
      st.setString(1, username);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        OffsetDateTime locked = rs.getObject("locked_until", OffsetDateTime.class);
        return Optional.of(new Account(rs.getObject("id", UUID.class), rs.getString("username"),
            rs.getString("password_hash"), Role.fromWire(rs.getString("role")).orElseThrow(),
            Optional.ofNullable(rs.getObject("institution_id", UUID.class)), rs.getInt("failed_logins"),
            locked == null ? null : locked.toInstant()));
      }
    }
  }

  /** Counts a failure; at {@code maxFailures} in a row the account locks until {@code lockUntil}. */
  public void recordFailure(Connection c, UUID id, int maxFailures, Instant lockUntil) throws SQLException {
    try (var st = c.prepareStatement("UPDATE account SET failed_logins = failed_logins + 1,"
        + " locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END WHERE id = ?")) {
      st.setInt(1, maxFailures);
      st.setTimestamp(2, Timestamp.from(lockUntil));
      st.setObject(3, id);
      st.executeUpdate();
    }
  }

  public void recordSuccess(Connection c, UUID id) throws SQLException {
    try (var st = c.prepareStatement("UPDATE account SET failed_logins = 0, locked_until = NULL"
        + " WHERE id = ? AND (failed_logins <> 0 OR locked_until IS NOT NULL)")) {
      st.setObject(1, id);
      st.executeUpdate();
    }
  }

  /** The people of one institution (never agents or platform accounts), by username. */
  public java.util.List<Account> listByInstitution(Connection c, UUID institutionId) throws SQLException {
    try (var st = c.prepareStatement("SELECT id, username, role, institution_id FROM account"
        + " WHERE institution_id = ? ORDER BY username")) {
      st.setObject(1, institutionId);
      java.util.List<Account> out = new java.util.ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new Account(rs.getObject("id", UUID.class), rs.getString("username"), null,
              Role.fromWire(rs.getString("role")).orElseThrow(), Optional.of(institutionId), 0, null));
        }
      }
      return out;
    }
  }
}
