package io.wingu.controlplane.scorecard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named criteria of the monthly scorecard, in the order they are shown, with their default
 * weights (WINGU_SCORECARD_WEIGHTS changes them; a weight of 0 leaves a criterion out).
 */
public final class Criteria {

  public static final String TEMPLATE_CURRENT = "template-current";
  public static final String TLS = "tls";
  public static final String CONTENT_FRESH = "content-fresh";
  public static final String ACCESSIBILITY = "accessibility";
  public static final String WITHIN_QUOTA = "within-quota";
  public static final String REGISTER_REVIEWED = "register-reviewed";
  public static final String COMPLETE_REQUESTS = "complete-requests";

  public static final List<String> IDS =
      List.of(
          TEMPLATE_CURRENT,
          TLS,
          CONTENT_FRESH,
          ACCESSIBILITY,
          WITHIN_QUOTA,
          REGISTER_REVIEWED,
          COMPLETE_REQUESTS);

  /** Content older than this counts as stale. */
  public static final int FRESH_CONTENT_DAYS = 90;

  /** A register entry not reviewed for this long is overdue. */
  public static final int REVIEW_MONTHS = 12;

  private Criteria() {}

  public static Map<String, Integer> defaultWeights() {
    Map<String, Integer> w = new LinkedHashMap<>();
    w.put(TEMPLATE_CURRENT, 15);
    w.put(TLS, 20);
    w.put(CONTENT_FRESH, 15);
    w.put(ACCESSIBILITY, 15);
    w.put(WITHIN_QUOTA, 10);
    w.put(REGISTER_REVIEWED, 10);
    w.put(COMPLETE_REQUESTS, 15);
    return w;
  }

  /**
   * Weights from {@code id=weight,id=weight} (0–100 each); criteria not named keep their default.
   * Throws IllegalArgumentException naming what is wrong.
   */
  public static Map<String, Integer> parseWeights(String spec) {
    Map<String, Integer> w = defaultWeights();
    if (spec == null || spec.isBlank()) {
      return w;
    }
    for (String part : spec.split(",")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length != 2 || !w.containsKey(kv[0].trim())) {
        throw new IllegalArgumentException(
            "'" + part.trim() + "' is not <criterion>=<weight> with a criterion of " + IDS);
      }
      int weight;
      try {
        weight = Integer.parseInt(kv[1].trim());
      } catch (NumberFormatException e) {
        weight = -1;
      }
      if (weight < 0 || weight > 100) {
        throw new IllegalArgumentException(
            "the weight of " + kv[0].trim() + " must be a whole number from 0 to 100");
      }
      w.put(kv[0].trim(), weight);
    }
    if (w.values().stream().mapToInt(Integer::intValue).sum() == 0) {
      throw new IllegalArgumentException("at least one criterion needs a weight above 0");
    }
    return w;
  }
}
