package io.wingu.controlplane.directory;

import java.util.List;

/**
 * The words a directory entry is filed under. The OpenAPI document lists the same values as enums
 * (a test holds the two together); the console names each in both languages from its messages.
 */
public final class DirectoryVocabulary {

  public static final List<String> CATEGORIES =
      List.of(
          "health",
          "education",
          "land",
          "business",
          "local-government",
          "agriculture",
          "finance",
          "justice",
          "transport",
          "water-energy",
          "social-welfare",
          "identity",
          "employment",
          "tourism",
          "environment",
          "other");

  /** The country's regions, and "national" for a service offered everywhere. */
  public static final List<String> REGIONS =
      List.of(
          "national",
          "arusha",
          "dar-es-salaam",
          "dodoma",
          "geita",
          "iringa",
          "kagera",
          "katavi",
          "kigoma",
          "kilimanjaro",
          "lindi",
          "manyara",
          "mara",
          "mbeya",
          "morogoro",
          "mtwara",
          "mwanza",
          "njombe",
          "pwani",
          "rukwa",
          "ruvuma",
          "shinyanga",
          "simiyu",
          "singida",
          "songwe",
          "tabora",
          "tanga",
          "kaskazini-pemba",
          "kusini-pemba",
          "kaskazini-unguja",
          "kusini-unguja",
          "mjini-magharibi");

  private DirectoryVocabulary() {}
}
