package io.wingu.controlplane.app;

import java.sql.SQLException;

/** SQLSTATE codes the stores translate into answers. */
public final class SqlStates {
  public static final String UNIQUE_VIOLATION = "23505";

  private SqlStates() {
  }

  public static boolean isUniqueViolation(SQLException e, String constraint) {
    return UNIQUE_VIOLATION.equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().contains(constraint);
  }
}
