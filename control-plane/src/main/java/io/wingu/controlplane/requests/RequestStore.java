package io.wingu.controlplane.requests;

import io.wingu.controlplane.auth.Scope;
import io.wingu.controlplane.requests.HostingRequest.HistoryEntry;
import io.wingu.controlplane.requests.HostingRequest.Quota;
import io.wingu.controlplane.requests.HostingRequest.Status;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for hosting requests and their history. */
final class RequestStore {

  private static final String SELECT =
      "SELECT r.*, p.name AS plan_name, dp.name AS db_plan_name"
          + " FROM hosting_request r JOIN plan p ON p.id = r.plan_id LEFT JOIN plan dp ON dp.id = r.database_plan_id";

  public void insert(Connection c, HostingRequest r, UUID databasePlanId) throws SQLException {
    try (var st =
        c.prepareStatement(
            "INSERT INTO hosting_request (id, institution_id, site_name, hostnames, plan_id,"
                + " template_id, database_engine, database_plan_id, justification, status, cpu_millis, memory_bytes,"
                + " storage_bytes, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      st.setObject(1, r.id());
      st.setObject(2, r.institutionId());
      st.setString(3, r.siteName());
      st.setArray(4, c.createArrayOf("text", r.hostnames().toArray()));
      st.setObject(5, r.planId());
      st.setString(6, r.templateId());
      st.setString(7, r.databaseEngine());
      st.setObject(8, databasePlanId);
      st.setString(9, r.justification());
      st.setString(10, r.status().name());
      st.setLong(11, r.quota().cpuMillis());
      st.setLong(12, r.quota().memoryBytes());
      st.setLong(13, r.quota().storageBytes());
      st.setString(14, r.createdBy());
      st.setObject(15, at(r.createdAt()));
      st.setObject(16, at(r.updatedAt()));
      st.executeUpdate();
    }
  }

  public void addHistory(Connection c, UUID requestId, HistoryEntry e) throws SQLException {
    try (var st =
        c.prepareStatement(
            "INSERT INTO hosting_request_history (request_id, position, status, at, actor, note)"
                + " SELECT ?, coalesce(max(position), 0) + 1, ?, ?, ?, ? FROM hosting_request_history WHERE request_id = ?")) {
      st.setObject(1, requestId);
      st.setString(2, e.status().name());
      st.setObject(3, at(e.at()));
      st.setString(4, e.actor());
      st.setString(5, e.note());
      st.setObject(6, requestId);
      st.executeUpdate();
    }
  }

  /** The request with its history, if the scope covers it. */
  public Optional<HostingRequest> find(Connection c, Scope scope, UUID id, boolean forUpdate)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            SELECT
                + " WHERE r.id = ? AND "
                + scope.sql("r.institution_id")
                + (forUpdate ? " FOR UPDATE OF r" : ""))) {
      st.setObject(1, id);
      st.setObject(2, scope.parameter());
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(read(rs).withHistory(history(c, id)));
      }
    }
  }

  public List<HostingRequest> list(
      Connection c, Scope scope, Status status, Instant afterAt, UUID afterId, int max)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            SELECT
                + " WHERE "
                + scope.sql("r.institution_id")
                + " AND (?::text IS NULL OR r.status = ?::text)"
                + " AND (?::timestamptz IS NULL OR (r.created_at, r.id) < (?::timestamptz, ?::uuid))"
                + " ORDER BY r.created_at DESC, r.id DESC LIMIT ?")) {
      String s = status == null ? null : status.name();
      OffsetDateTime after = afterAt == null ? null : at(afterAt);
      st.setObject(1, scope.parameter());
      st.setString(2, s);
      st.setString(3, s);
      st.setObject(4, after);
      st.setObject(5, after);
      st.setObject(6, afterId);
      st.setInt(7, max);
      List<HostingRequest> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    }
  }

  /** A pending request of the institution with this site name, if any. */
  public boolean pendingNameTaken(Connection c, UUID institutionId, String siteName)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT 1 FROM hosting_request WHERE institution_id = ? AND site_name = ?"
                + " AND status = 'PENDING'")) {
      st.setObject(1, institutionId);
      st.setString(2, siteName);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  public void decide(Connection c, UUID id, Status status, Quota quota, UUID siteId, Instant at)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "UPDATE hosting_request SET status = ?, cpu_millis = ?, memory_bytes = ?,"
                + " storage_bytes = ?, site_id = ?, updated_at = ? WHERE id = ?")) {
      st.setString(1, status.name());
      st.setLong(2, quota.cpuMillis());
      st.setLong(3, quota.memoryBytes());
      st.setLong(4, quota.storageBytes());
      st.setObject(5, siteId);
      st.setObject(6, at(at));
      st.setObject(7, id);
      st.executeUpdate();
    }
  }

  private static List<HistoryEntry> history(Connection c, UUID id) throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT status, at, actor, note FROM hosting_request_history"
                + " WHERE request_id = ? ORDER BY position")) {
      st.setObject(1, id);
      List<HistoryEntry> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(
              new HistoryEntry(
                  Status.valueOf(rs.getString(1)),
                  rs.getObject(2, OffsetDateTime.class).toInstant(),
                  rs.getString(3),
                  rs.getString(4)));
        }
      }
      return out;
    }
  }

  private static HostingRequest read(ResultSet rs) throws SQLException {
    return new HostingRequest(
        rs.getObject("id", UUID.class),
        rs.getObject("institution_id", UUID.class),
        rs.getString("site_name"),
        Arrays.asList((String[]) rs.getArray("hostnames").getArray()),
        rs.getObject("plan_id", UUID.class),
        rs.getString("plan_name"),
        rs.getString("template_id"),
        rs.getString("database_engine"),
        rs.getString("db_plan_name"),
        rs.getString("justification"),
        Status.valueOf(rs.getString("status")),
        new Quota(
            rs.getLong("cpu_millis"), rs.getLong("memory_bytes"), rs.getLong("storage_bytes")),
        rs.getObject("site_id", UUID.class),
        rs.getString("created_by"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
        null,
        rs.getString("rejection_kind"));
  }

  public void setRejectionKind(Connection c, UUID id, String kind) throws SQLException {
    try (var st =
        c.prepareStatement("UPDATE hosting_request SET rejection_kind = ? WHERE id = ?")) {
      st.setString(1, kind);
      st.setObject(2, id);
      st.executeUpdate();
    }
  }

  static OffsetDateTime at(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }
}
