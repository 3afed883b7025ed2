package io.wingu.controlplane.plans;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes-style quantities as the API writes them: CPU in cores or millicores, bytes in binary
 * units.
 */
public final class Quantities {

  private static final Pattern CPU = Pattern.compile("([0-9]+)m|([0-9]+(?:\\.[0-9]{1,3})?)");
  private static final Pattern BYTES = Pattern.compile("([0-9]+)(Ki|Mi|Gi|Ti)?");
  private static final String[] UNITS = {"Ti", "Gi", "Mi", "Ki"};

  private Quantities() {}

  /** Millicores of "500m" or "1.5"; -1 when it is not a CPU quantity. */
  public static long cpuMillis(String q) {
    Matcher m = CPU.matcher(q);
    if (!m.matches()) {
      return -1;
    }
    if (m.group(1) != null) {
      return Long.parseLong(m.group(1));
    }
    return new BigDecimal(m.group(2)).movePointRight(3).longValueExact();
  }

  /** Bytes of "512Mi"; -1 when it is not a byte quantity or too large. */
  public static long bytes(String q) {
    Matcher m = BYTES.matcher(q);
    if (!m.matches() || m.group(1).length() > 13) {
      return -1;
    }
    long n = Long.parseLong(m.group(1));
    int shift =
        m.group(2) == null
            ? 0
            : switch (m.group(2)) {
              case "Ki" -> 10;
              case "Mi" -> 20;
              case "Gi" -> 30;
              default -> 40;
            };
    return n > (Long.MAX_VALUE >> shift) ? -1 : n << shift;
  }

  public static String cpu(long millis) {
    return millis % 1000 == 0 ? String.valueOf(millis / 1000) : millis + "m";
  }

  public static String bytes(long bytes) {
    for (int i = 0; i < UNITS.length; i++) {
      int shift = 40 - 10 * i;
      if (bytes != 0 && bytes % (1L << shift) == 0) {
        return (bytes >> shift) + UNITS[i];
      }
    }
    return String.valueOf(bytes);
  }
}
