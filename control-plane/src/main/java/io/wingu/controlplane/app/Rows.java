package io.wingu.controlplane.app;

import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The one-statement Jdbi shapes the stores share, written once; the arguments bind by name, as
 * {@code bind} would bind each.
 */
public final class Rows {

  private Rows() {}

  /**
   * Runs an UPDATE or DELETE meant for one row: true when it changed exactly one, false when its
   * {@code WHERE} (the condition the change is guarded by) matched none.
   */
  public static boolean changeOne(Handle h, String sql, Map<String, ?> arguments) {
    return h.createUpdate(sql).bindMap(arguments).execute() == 1;
  }

  /** Whether {@code select} finds any row. */
  public static boolean exists(Handle h, String select, Map<String, ?> arguments) {
    return h.createQuery("SELECT EXISTS (" + select + ")")
        .bindMap(arguments)
        .mapTo(Boolean.class)
        .one();
  }
}
