package io.wingu.templates;

import java.util.Locale;

/**
 * The two languages every Wingu site is published in; Swahili is the national language and comes
 * first.
 */
public enum Language {
  SW("sw"),
  EN("en");

  private final String code;

  Language(String code) {
    this.code = code;
  }

  /** The BCP 47 code used in paths ({@code /sw/...}) and in {@code lang} attributes. */
  public String code() {
    return code;
  }

  public Language other() {
    return this == SW ? EN : SW;
  }

  public static Language fromCode(String code) {
    for (Language language : values()) {
      if (language.code.equals(code.toLowerCase(Locale.ROOT))) {
        return language;
      }
    }
    throw new IllegalArgumentException("unknown language '" + code + "': expected sw or en");
  }
}
