package io.wingu.agent.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The token the agent shows the control plane. */
@FunctionalInterface
public interface BearerToken {

  String value() throws IOException;

  static BearerToken fixed(String token) {
    return new Fixed(token);
  }

  /** Read before every send: a projected ServiceAccount token is rotated by the kubelet. */
  static BearerToken file(Path file) {
    return new FromFile(file);
  }

  /** A token given in the configuration. */
  record Fixed(String value) implements BearerToken {}

  /** A token file, read each time. */
  record FromFile(Path file) implements BearerToken {
    @Override
    public String value() throws IOException {
      return Files.readString(file).strip();
    }
  }
}
