package io.wingu.templates.catalog;

import java.util.regex.Pattern;

/** WCAG 2.1 contrast ratio between two sRGB colours written as {@code #rrggbb}. */
public final class Contrast {

  /** WCAG 2.1 AA minimum for body text (success criterion 1.4.3). */
  public static final double AA_TEXT = 4.5;

  /** WCAG 2.1 AA minimum for focus indicators and other non-text parts (1.4.11). */
  public static final double AA_NON_TEXT = 3.0;

  private static final Pattern HEX = Pattern.compile("#[0-9a-fA-F]{6}");

  private Contrast() {}

  public static boolean isHexColour(String value) {
    return value != null && HEX.matcher(value).matches();
  }

  public static double ratio(String first, String second) {
    double a = relativeLuminance(first);
    double b = relativeLuminance(second);
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }

  static double relativeLuminance(String hex) {
    if (!isHexColour(hex)) {
      throw new IllegalArgumentException("not a #rrggbb colour: " + hex);
    }
    int rgb = Integer.parseInt(hex.substring(1), 16);
    return 0.2126 * channel(rgb >> 16) + 0.7152 * channel(rgb >> 8) + 0.0722 * channel(rgb);
  }

  private static double channel(int value) {
    double c = (value & 0xff) / 255.0;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }
}
