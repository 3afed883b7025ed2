package io.wingu.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.controlplane.caller.Role;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The password rules and who may sign in how, without a server. */
class PasswordRulesTest {

  @Test
  void aPasswordKnownFromBreachesIsRefusedWhateverItsCase() {
    assertThat(Passwords.weakness("123qweasdzxc")).contains("breaches");
    assertThat(Passwords.weakness("123QWEasdzxc")).contains("breaches");
    assertThat(Passwords.weakness("short")).contains("12 characters");
    assertThat(Passwords.weakness("a-long-and-unusual-passphrase-7")).isNull();
  }

  private static Account account(String username, Role role, String hash) {
    return new Account(
        UUID.randomUUID(),
        username,
        hash,
        role,
        role.ofInstitution() ? Optional.of(UUID.randomUUID()) : Optional.empty());
  }

  @Test
  void withoutPlatformPasswordsOnlyTheBreakGlassOperatorSignsInWithOne() {
    SignInPolicy policy = new SignInPolicy(false, false, true, "root");
    assertThat(policy.passwordAllowed(account("root", Role.OPERATOR, "h"))).isTrue();
    assertThat(policy.passwordAllowed(account("amina", Role.OPERATOR, "h"))).isFalse();
    assertThat(policy.passwordAllowed(account("baraka", Role.AUDITOR, "h"))).isFalse();
    assertThat(policy.passwordAllowed(account("chausiku", Role.WEBMASTER, "h"))).isTrue();
    // without a provider nobody could sign in at all: the setting then changes nothing
    assertThat(
            new SignInPolicy(false, false, false, "root")
                .passwordAllowed(account("amina", Role.OPERATOR, "h")))
        .isTrue();
  }

  @Test
  void twoFactorIsRequiredOfOperatorsAndInstitutionAdminsWithAPassword() {
    SignInPolicy policy = new SignInPolicy(true, true, false, "root");
    assertThat(policy.mustEnrol(Role.OPERATOR, true, false)).isTrue();
    assertThat(policy.mustEnrol(Role.INSTITUTION_ADMIN, true, false)).isTrue();
    assertThat(policy.mustEnrol(Role.OPERATOR, true, true)).isFalse();
    assertThat(policy.mustEnrol(Role.OPERATOR, false, false)).as("the provider's people").isFalse();
    assertThat(policy.mustEnrol(Role.WEBMASTER, true, false)).isFalse();
    assertThat(policy.mustEnrol(Role.AUDITOR, true, false)).isFalse();
    assertThat(SignInPolicy.open("root").mustEnrol(Role.OPERATOR, true, false)).isFalse();
  }
}
