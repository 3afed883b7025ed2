package io.wingu.controlplane.requests;

import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.app.Rows;
import io.wingu.controlplane.caller.Scope;
import io.wingu.controlplane.requests.HostingRequest.HistoryEntry;
import io.wingu.controlplane.requests.HostingRequest.Quota;
import io.wingu.controlplane.requests.HostingRequest.Status;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for hosting requests and their history. */
final class RequestStore {

  private static final String SELECT =
      "SELECT r.*, p.name AS plan_name, dp.name AS db_plan_name"
          + " FROM hosting_request r JOIN plan p ON p.id = r.plan_id LEFT JOIN plan dp ON dp.id = r.database_plan_id";

  private static final RowMapper<HistoryEntry> HISTORY = ConstructorMapper.of(HistoryEntry.class);

  private static final RowMapper<HostingRequest> REQUEST =
      (rs, ctx) ->
          new HostingRequest(
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
                  rs.getLong("cpu_millis"),
                  rs.getLong("memory_bytes"),
                  rs.getLong("storage_bytes")),
              rs.getObject("site_id", UUID.class),
              rs.getString("created_by"),
              rs.getObject("created_at", OffsetDateTime.class).toInstant(),
              rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
              null,
              rs.getString("rejection_kind"));

  void insert(Handle h, HostingRequest r, UUID databasePlanId) {
    h.createUpdate(
            "INSERT INTO hosting_request (id, institution_id, site_name, hostnames, plan_id,"
                + " template_id, database_engine, database_plan_id, justification, status,"
                + " cpu_millis, memory_bytes, storage_bytes, created_by, created_at, updated_at)"
                + " VALUES (:id, :institutionId, :siteName, :hostnames, :planId, :templateId,"
                + " :databaseEngine, :databasePlanId, :justification, :status, :cpuMillis,"
                + " :memoryBytes, :storageBytes, :createdBy, :createdAt, :updatedAt)")
        .bindMethods(r)
        .bindMethods(r.quota())
        .bindArray("hostnames", String.class, r.hostnames())
        .bind("databasePlanId", databasePlanId)
        .execute();
  }

  void addHistory(Handle h, UUID requestId, HistoryEntry e) {
    h.createUpdate(
            "INSERT INTO hosting_request_history (request_id, position, status, at, actor, note)"
                + " SELECT :requestId, coalesce(max(position), 0) + 1, :status, :at, :actor, :note"
                + " FROM hosting_request_history WHERE request_id = :requestId")
        .bind("requestId", requestId)
        .bindMethods(e)
        .execute();
  }

  /** The request with its history, if the scope covers it. */
  Optional<HostingRequest> find(Handle h, Scope scope, UUID id, boolean forUpdate) {
    return scope
        .byId(h, SELECT, "r", id, forUpdate)
        .map(REQUEST)
        .findOne()
        .map(r -> r.withHistory(history(h, id)));
  }

  /** One page of the scope's requests, of one status or all ({@code null}), newest first. */
  List<HostingRequest> list(Handle h, Scope scope, Status status, Keyset keyset) {
    var query =
        keyset.query(
            h,
            SELECT
                + " WHERE "
                + scope.where("r.institution_id")
                + (status == null ? "" : " AND r.status = :status"));
    if (status != null) {
      query.bind("status", status);
    }
    return scope.bind(query).map(REQUEST).list();
  }

  /** A pending request of the institution with this site name, if any. */
  boolean pendingNameTaken(Handle h, UUID institutionId, String siteName) {
    return Rows.exists(
        h,
        "SELECT 1 FROM hosting_request WHERE institution_id = :institutionId"
            + " AND site_name = :siteName AND status = 'PENDING'",
        Map.of("institutionId", institutionId, "siteName", siteName));
  }

  void decide(Handle h, UUID id, Status status, Quota quota, UUID siteId, Instant at) {
    h.createUpdate(
            "UPDATE hosting_request SET status = :status, cpu_millis = :cpuMillis,"
                + " memory_bytes = :memoryBytes, storage_bytes = :storageBytes, site_id = :siteId,"
                + " updated_at = :at WHERE id = :id")
        .bindMethods(quota)
        .bind("status", status)
        .bind("siteId", siteId)
        .bind("at", at)
        .bind("id", id)
        .execute();
  }

  void setRejectionKind(Handle h, UUID id, String kind) {
    h.createUpdate("UPDATE hosting_request SET rejection_kind = :kind WHERE id = :id")
        .bind("kind", kind)
        .bind("id", id)
        .execute();
  }

  private static List<HistoryEntry> history(Handle h, UUID id) {
    return h.createQuery(
            "SELECT status, at, actor, note FROM hosting_request_history"
                + " WHERE request_id = :id ORDER BY position")
        .bind("id", id)
        .map(HISTORY)
        .list();
  }
}
