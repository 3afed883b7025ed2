package io.wingu.controlplane.institutions;

import java.util.Collection;
import java.util.regex.Pattern;

/** Lowercase DNS names (RFC 1123) and the delegated-domain rule. */
public final class DnsNames {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private DnsNames() {
  }

  /** Null when {@code name} is a valid lowercase DNS name of two labels or more, else why not. */
  public static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "must not be empty";
    }
    if (name.length() > 253) {
      return "must be at most 253 characters";
    }
    String[] labels = name.split("\\.", -1);
    if (labels.length < 2) {
      return "must have at least two labels, e.g. moh.go.tz";
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        return "'" + label + "' is not a DNS label (lowercase letters, digits and '-', 1-63 characters)";
      }
    }
    if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
      return "must not end in a numeric label";
    }
    return null;
  }

  /** True when {@code hostname} equals one of {@code domains} or is a subdomain of one. */
  public static boolean within(String hostname, Collection<String> domains) {
    return domains.stream().anyMatch(d -> hostname.equals(d) || hostname.endsWith("." + d));
  }
}
