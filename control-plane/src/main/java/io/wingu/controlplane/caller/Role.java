package io.wingu.controlplane.caller;

import java.util.Arrays;
import java.util.Optional;

/** The roles of API.md; their wire names are fixed. */
public enum Role {
  OPERATOR("operator", false),
  AUDITOR("auditor", false),
  INSTITUTION_ADMIN("institution-admin", true),
  WEBMASTER("webmaster", true),
  AGENT("agent", false);

  private final String wireName;
  private final boolean ofInstitution;

  Role(String wireName, boolean ofInstitution) {
    this.wireName = wireName;
    this.ofInstitution = ofInstitution;
  }

  public String wireName() {
    return wireName;
  }

  /** Institution roles belong to exactly one institution and see only its data. */
  public boolean ofInstitution() {
    return ofInstitution;
  }

  public static Optional<Role> fromWire(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
  }
}
