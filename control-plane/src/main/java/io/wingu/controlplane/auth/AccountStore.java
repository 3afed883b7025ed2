package io.wingu.controlplane.auth;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/** SQL for accounts. */
final class AccountStore {

  Account insert(
      Connection c, String username, String password, Role role, Optional<UUID> institution)
      throws SQLException {
    Account a =
        new Account(UUID.randomUUID(), username, Passwords.hash(password), role, institution);
    try (var st =
        c.prepareStatement(
            "INSERT INTO account (id, username, password_hash, role, institution_id)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      st.setObject(1, a.id());
      st.setString(2, a.username());
      st.setString(3, a.passwordHash());
      st.setString(4, role.wireName());
      st.setObject(5, institution.orElse(null));
      st.executeUpdate();
    }
    return a;
  }

  Optional<Account> findByUsername(Connection c, String username) throws SQLException {
    try (var st = c.prepareStatement("SELECT * FROM account WHERE username = ?")) {
      st.setString(1, username);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Account(
                rs.getObject("id", UUID.class),
                rs.getString("username"),
                rs.getString("password_hash"),
                Role.fromWire(rs.getString("role")).orElseThrow(),
                Optional.ofNullable(rs.getObject("institution_id", UUID.class))));
      }
    }
  }

  /**
   * The account behind a token, read afresh on each check: who it is now (role, institution), if it
   * still exists.
   */
  Optional<Caller> findCaller(Connection c, UUID id) throws SQLException {
    try (var st =
        c.prepareStatement("SELECT username, role, institution_id FROM account WHERE id = ?")) {
      st.setObject(1, id);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Caller(
                id,
                rs.getString("username"),
                Role.fromWire(rs.getString("role")).orElseThrow(),
                Optional.ofNullable(rs.getObject("institution_id", UUID.class))));
      }
    }
  }

  /** The people of one institution (never agents or platform accounts), by username. */
  java.util.List<Account> listByInstitution(Connection c, UUID institutionId) throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT id, username, role, institution_id FROM account"
                + " WHERE institution_id = ? ORDER BY username")) {
      st.setObject(1, institutionId);
      java.util.List<Account> out = new java.util.ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Account(
                  rs.getObject("id", UUID.class),
                  rs.getString("username"),
                  null,
                  Role.fromWire(rs.getString("role")).orElseThrow(),
                  Optional.of(institutionId)));
        }
      }
      return out;
    }
  }
}
