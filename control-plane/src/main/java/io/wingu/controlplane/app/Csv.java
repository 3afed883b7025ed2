package io.wingu.controlplane.app;

/** What every CSV the control plane writes does to its cells. */
public final class Csv {

  private Csv() {}

  /**
   * A cell a spreadsheet would run as a formula (one starting with =, +, -, @, tab or carriage
   * return) gets a leading apostrophe, as OWASP's CSV-injection advice says; others stay as they
   * are.
   */
  public static String defuse(String value) {
    if (value != null && !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
      return "'" + value;
    }
    return value;
  }
}
