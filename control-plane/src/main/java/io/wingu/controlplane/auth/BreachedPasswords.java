package io.wingu.controlplane.auth;

import java.util.Locale;
import java.util.Map;
import me.gosimple.nbvcxz.resources.ConfigurationBuilder;
import me.gosimple.nbvcxz.resources.Dictionary;

/**
 * The common passwords known from breaches, as shipped by nbvcxz (its {@code passwords} dictionary,
 * lower-cased, ranked by frequency): read from the library's jar once, never from the network.
 */
final class BreachedPasswords {

  private static final String DICTIONARY = "passwords";

  private BreachedPasswords() {}

  /** Loaded on first use: the list is a few hundred thousand entries. */
  private static final class Holder {
    static final Map<String, Integer> RANKS =
        ConfigurationBuilder.getDefaultDictionaries().stream()
            .filter(d -> DICTIONARY.equals(d.getDictionaryName()))
            .findFirst()
            .map(Dictionary::getDictonary)
            .orElseThrow(() -> new IllegalStateException("nbvcxz ships no passwords dictionary"));
  }

  /** Whether {@code password}, ignoring case, is one of them. */
  static boolean contains(String password) {
    return Holder.RANKS.containsKey(password.toLowerCase(Locale.ROOT));
  }
}
