package io.wingu.controlplane.web;

import io.wingu.controlplane.plans.Plan;

/**
 * Quantities and codes as a person reads them: "0.5" vCPU rather than {@code 500m}, "512 MB" rather
 * than {@code 512Mi}, a plan's and a database engine's name rather than their code.
 */
final class Amounts {

  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  private Amounts() {}

  /** Cores, as a decimal in the page's language ("0,5" or "0.5"). */
  static String cpu(String lang, long millis) {
    java.text.NumberFormat f = java.text.NumberFormat.getNumberInstance(Messages.locale(lang));
    f.setMaximumFractionDigits(3);
    return f.format(millis / 1000.0);
  }

  /** Bytes in GB from one gigabyte on, else in MB (binary multiples, as the quota counts them). */
  static String bytes(String lang, long bytes) {
    return bytes >= GIB
        ? Messages.decimal(lang, (double) bytes / GIB) + " GB"
        : Messages.decimal(lang, (double) bytes / MIB) + " MB";
  }

  /** "vCPU 0.5, memory 512 MB, storage 5 GB" in the page's language. */
  static String quota(
      Messages m, String lang, long cpuMillis, long memoryBytes, long storageBytes) {
    return m.text(
        lang,
        "quota.summary",
        cpu(lang, cpuMillis),
        bytes(lang, memoryBytes),
        bytes(lang, storageBytes));
  }

  /** A plan's quota, in words. */
  static String quota(Messages m, String lang, Plan p) {
    return quota(m, lang, p.cpuMillis(), p.memoryBytes(), p.storageBytes());
  }

  /** A plan's name in the page's language where it has one (small, medium, large), else its own. */
  static String planName(Messages m, String lang, String plan) {
    return plan != null && m.has("planName." + plan) ? m.text(lang, "planName." + plan) : plan;
  }

  /** A database engine's name as its makers write it ("PostgreSQL"). */
  static String engine(Messages m, String lang, String engine) {
    return engine != null && m.has("engine." + engine) ? m.text(lang, "engine." + engine) : engine;
  }
}
