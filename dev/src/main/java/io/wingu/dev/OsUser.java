package io.wingu.dev;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL refuses to run as root, and CI and these machines run as root: there the database
 * server runs as an unprivileged system user, {@value #DB_USER}, created on first use.
 */
final class OsUser {

  static final String DB_USER = "wingu";

  private OsUser() {}

  static boolean isRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }

  /** The command, run as the database user when this process is root. */
  static List<String> asDatabaseUser(List<String> command) {
    if (!isRoot()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", DB_USER, "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Creates the database user when root and it is missing. */
  static void ensureDatabaseUser() throws IOException {
    if (!isRoot() || Processes.run(List.of("id", "-u", DB_USER)).ok()) {
      return;
    }
    Processes.Result r =
        Processes.run(
            List.of(
                "useradd",
                "--system",
                "--user-group",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin",
                DB_USER));
    if (!r.ok() && !Processes.run(List.of("id", "-u", DB_USER)).ok()) {
      throw new IOException(
          "cannot create the system user '" + DB_USER + "' to run PostgreSQL: " + r.output());
    }
  }

  /** Fails with a way out when the database user cannot traverse to {@code dir}. */
  static void requireReachable(Path dir) throws IOException {
    if (isRoot()
        && !Processes.run(List.of("runuser", "-u", DB_USER, "--", "test", "-x", dir.toString()))
            .ok()) {
      throw new IOException(
          "the database user '"
              + DB_USER
              + "' cannot reach "
              + dir
              + ": let other users traverse it and its parents (chmod o+x), or choose a folder they can reach");
    }
  }

  /** Gives the database user a folder (recursively) when root. */
  static void handOver(Path dir) throws IOException {
    if (!isRoot()) {
      return;
    }
    Processes.Result r =
        Processes.run(List.of("chown", "-R", DB_USER + ":" + DB_USER, dir.toString()));
    if (!r.ok()) {
      throw new IOException("cannot give " + dir + " to user " + DB_USER + ": " + r.output());
    }
  }
}
