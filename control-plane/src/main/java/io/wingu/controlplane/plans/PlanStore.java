package io.wingu.controlplane.plans;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for the plans catalogue. */
final class PlanStore {

  List<Plan> all(Connection c) throws SQLException {
    try (var st = c.prepareStatement("SELECT * FROM plan ORDER BY cpu_millis, memory_bytes, name");
        ResultSet rs = st.executeQuery()) {
      List<Plan> out = new ArrayList<>();
      while (rs.next()) {
        out.add(read(rs));
      }
      return out;
    }
  }

  Optional<Plan> byName(Connection c, String name) throws SQLException {
    try (var st = c.prepareStatement("SELECT * FROM plan WHERE name = ?")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  Plan insert(Connection c, Plan p) throws SQLException {
    try (var st =
        c.prepareStatement(
            "INSERT INTO plan (id, name, cpu_millis, memory_bytes, storage_bytes,"
                + " db_storage_bytes, db_connections) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      st.setObject(1, p.id());
      st.setString(2, p.name());
      st.setLong(3, p.cpuMillis());
      st.setLong(4, p.memoryBytes());
      st.setLong(5, p.storageBytes());
      st.setLong(6, p.dbStorageBytes());
      st.setInt(7, p.dbConnections());
      st.executeUpdate();
      return p;
    }
  }

  private static Plan read(ResultSet rs) throws SQLException {
    return new Plan(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        rs.getLong("cpu_millis"),
        rs.getLong("memory_bytes"),
        rs.getLong("storage_bytes"),
        rs.getLong("db_storage_bytes"),
        rs.getInt("db_connections"));
  }
}
