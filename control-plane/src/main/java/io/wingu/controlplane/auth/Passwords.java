package io.wingu.controlplane.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/** Argon2id password hashes (PHC strings) through Password4j. */
public final class Passwords {

  // OWASP's minimum for Argon2id: 19 MiB, 2 iterations, 1 lane.
  private static final Argon2Function ARGON2ID =
      Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);
  // Compared against when the user does not exist, so that case costs the same time.
  private static final String DECOY = hash("decoy-password-never-used");

  /** The hash of an account with no Wingu password (it signs in elsewhere): matches nothing. */
  static final String NO_PASSWORD = "!no-password";

  private Passwords() {}

  public static String hash(String password) {
    return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
  }

  public static boolean matches(String password, String hash) {
    if (hash.startsWith("!")) {
      spendCheckTime(password);
      return false;
    }
    return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
  }

  /** Spends the time of one check without an account to check against. */
  public static void spendCheckTime(String password) {
    matches(password, DECOY);
  }

  /** Null when acceptable, otherwise what is wrong with it. */
  public static String weakness(String password) {
    if (password.length() < 12) {
      return "must be at least 12 characters";
    }
    if (password.length() > 256) {
      return "must be at most 256 characters";
    }
    if (BreachedPasswords.contains(password)) {
      return "is on the list of passwords known from breaches; choose another";
    }
    return null;
  }
}
