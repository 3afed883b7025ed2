package io.wingu.controlplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time used on this machine between two readings of /proc (Linux), by program: what a phase of
 * a benchmark cost in all, not only in the JVM. Processes that ended in between are not seen.
 */
final class CpuUse {

  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  /** One process at the reading: its program's name and its CPU ticks so far. */
  private record Process(String program, long ticks) {}

  private final long busyTicks;
  private final Map<String, Process> byPid;

  private CpuUse(long busyTicks, Map<String, Process> byPid) {
    this.busyTicks = busyTicks;
    this.byPid = byPid;
  }

  static CpuUse now() {
    Map<String, Process> byPid = new TreeMap<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .forEach(
              p -> {
                try {
                  String stat = Files.readString(p.resolve("stat"));
                  String program = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                  String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                  // after the name: state is field 3, so utime (14) and stime (15) are at 11 and 12
                  byPid.put(
                      p.getFileName().toString(),
                      new Process(program, Long.parseLong(f[11]) + Long.parseLong(f[12])));
                } catch (IOException | RuntimeException gone) {
                  // the process ended while being read
                }
              });
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < cpu.length; i++) {
        if (i != 4 && i != 5) { // idle and iowait
          busy += Long.parseLong(cpu[i]);
        }
      }
      return new CpuUse(busy, byPid);
    } catch (IOException | RuntimeException e) {
      return new CpuUse(0, Map.of());
    }
  }

  /**
   * One line: CPU per unit of work since {@code before}, in all and for the programs that matter.
   */
  String since(CpuUse before, int units, String unit) {
    Map<String, Long> used = new LinkedHashMap<>();
    // by process, then summed by program: a process keeps its pid while its name may change
    byPid.forEach(
        (pid, process) -> {
          Process earlier = before.byPid.get(pid);
          long d = process.ticks() - (earlier == null ? 0 : earlier.ticks());
          if (d > 0) {
            used.merge(group(process.program()), d, Long::sum);
          }
        });
    StringBuilder out =
        new StringBuilder(
            String.format(
                "  CPU per %s: %.1f ms in all",
                unit, (busyTicks - before.busyTicks) / TICKS_PER_SECOND * 1000 / units));
    used.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(5)
        .forEach(
            e ->
                out.append(
                    String.format(
                        ", %s %.1f ms",
                        e.getKey(), e.getValue() / TICKS_PER_SECOND * 1000 / units)));
    return out.toString();
  }

  /**
   * Lines of CPU per unit since {@code before} for every program that used any, largest first, with
   * the machine's total (other work on a shared machine included).
   */
  String byProgram(CpuUse before, int units, String unit) {
    Map<String, Long> used = new LinkedHashMap<>();
    byPid.forEach(
        (pid, process) -> {
          Process earlier = before.byPid.get(pid);
          long d = process.ticks() - (earlier == null ? 0 : earlier.ticks());
          if (d > 0) {
            used.merge(group(process.program()), d, Long::sum);
          }
        });
    StringBuilder out = new StringBuilder();
    used.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(10)
        .forEach(
            e ->
                out.append(
                    String.format(
                        "%n  %-40s %9.1f ms a %s (%.1f s in all)",
                        e.getKey(),
                        e.getValue() / TICKS_PER_SECOND * 1000 / units,
                        unit,
                        e.getValue() / TICKS_PER_SECOND)));
    out.append(
        String.format(
            "%n  %-40s %9.1f ms a %s",
            "machine (all programs, shared)",
            (busyTicks - before.busyTicks) / TICKS_PER_SECOND * 1000 / units,
            unit));
    return out.toString();
  }

  private static String group(String program) {
    if (program.startsWith("kworker")
        || program.startsWith("ksoftirqd")
        || program.startsWith("jbd2")) {
      return "kernel threads"; // a kernel worker's name changes with its work item
    }
    return switch (program) {
      case "java" -> "control plane (JVM)";
      case "postgres" -> "PostgreSQL";
      default -> program;
    };
  }
}
