package io.wingu.controlplane.app;

import io.wingu.controlplane.caller.Role;
import java.util.EnumSet;
import java.util.Set;

/** Who may call an operation: anyone, or any signed-in caller of the listed roles. */
public record Access(boolean requiresSignIn, Set<Role> roles) {

  public static Access anyone() {
    return new Access(false, EnumSet.noneOf(Role.class));
  }

  public static Access anySignedIn() {
    return new Access(true, EnumSet.allOf(Role.class));
  }

  public static Access roles(Role first, Role... rest) {
    return new Access(true, EnumSet.of(first, rest));
  }

  /**
   * Everyone who may read institution data: the platform's readers and the institution's own roles.
   */
  public static Access readers() {
    return roles(Role.OPERATOR, Role.AUDITOR, Role.INSTITUTION_ADMIN, Role.WEBMASTER);
  }
}
