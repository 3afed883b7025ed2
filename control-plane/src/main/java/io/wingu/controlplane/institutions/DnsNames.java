package io.wingu.controlplane.institutions;

import java.net.IDN;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Lowercase DNS names (RFC 1123), their one spelling, and the delegated-domain rule. */
public final class DnsNames {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private DnsNames() {}

  /**
   * The one spelling a name is compared and stored in: Unicode labels in punycode (IDNA, as
   * java.net.IDN does it), lowercase, without the root's trailing dot. {@code MOH.go.tz.}, {@code
   * moh.go.tz} and their full-width-dot forms are one name; so are {@code wizara-ü.tz} and {@code
   * xn--wizara--e9a.tz}. A name IDNA cannot convert is only lowercased, and {@link #problem} then
   * says what is wrong with it.
   */
  public static String normalise(String name) {
    if (name == null) {
      return null;
    }
    String s = name.strip();
    try {
      s = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      // left as typed: problem() refuses it
    }
    s = s.toLowerCase(Locale.ROOT);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
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
        return "'"
            + label
            + "' is not a DNS label (lowercase letters, digits and '-', 1-63 characters)";
      }
    }
    if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
      return "must not end in a numeric label";
    }
    return null;
  }

  /** True when {@code hostname} equals one of {@code domains} or is a subdomain of one. */
  public static boolean within(String hostname, Collection<String> domains) {
    return domains.stream().anyMatch(d -> within(hostname, d));
  }

  /** True when {@code a} equals {@code b} or is a subdomain of it (both normalised). */
  public static boolean within(String a, String b) {
    return a.equals(b) || a.endsWith("." + b);
  }

  /** True when one of the two names equals or contains the other: they cannot be two holders'. */
  public static boolean overlap(String a, String b) {
    return within(a, b) || within(b, a);
  }

  /**
   * The name itself and every parent of it with two labels or more: where its delegation can be.
   */
  public static List<String> suffixes(String name) {
    List<String> out = new ArrayList<>();
    String s = name;
    while (s.indexOf('.') > 0) {
      out.add(s);
      s = s.substring(s.indexOf('.') + 1);
    }
    return out;
  }

  /**
   * The institution a hostname belongs to: the holder of the most specific delegated domain it
   * falls under. Empty when no domain covers it, or when the most specific one has two holders
   * (only possible in data from before overlaps were refused): then it is no one's.
   */
  public static Optional<UUID> holder(String hostname, Collection<Delegation> delegations) {
    int best = -1;
    List<UUID> holders = new ArrayList<>();
    for (Delegation d : delegations) {
      if (!within(hostname, d.domain())) {
        continue;
      }
      int length = d.domain().length();
      if (length > best) {
        best = length;
        holders.clear();
      }
      if (length == best && !holders.contains(d.institutionId())) {
        holders.add(d.institutionId());
      }
    }
    return holders.size() == 1 ? Optional.of(holders.get(0)) : Optional.empty();
  }
}
