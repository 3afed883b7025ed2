package io.wingu.controlplane.plans;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for the plans catalogue. */
final class PlanStore {

  private static final RowMapper<Plan> PLAN = ConstructorMapper.of(Plan.class);

  List<Plan> all(Handle h) {
    return h.createQuery("SELECT * FROM plan ORDER BY cpu_millis, memory_bytes, name")
        .map(PLAN)
        .list();
  }

  Optional<Plan> byName(Handle h, String name) {
    return h.createQuery("SELECT * FROM plan WHERE name = :name")
        .bind("name", name)
        .map(PLAN)
        .findOne();
  }

  Plan insert(Handle h, Plan p) {
    h.createUpdate(
            "INSERT INTO plan (id, name, cpu_millis, memory_bytes, storage_bytes,"
                + " db_storage_bytes, db_connections) VALUES (:id, :name, :cpuMillis,"
                + " :memoryBytes, :storageBytes, :dbStorageBytes, :dbConnections)")
        .bindMethods(p)
        .execute();
    return p;
  }
}
