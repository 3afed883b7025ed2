package io.wingu.controlplane.web;

import io.vertx.core.Future;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.institutions.Institution;
import io.wingu.controlplane.institutions.InstitutionService;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * An institution as the console names it: by its Swahili name on a Swahili page when it has one,
 * else by its name. Pages listing rows of several institutions look them up once per page.
 */
final class InstitutionNames {

  private final Map<UUID, Institution> byId;
  private final String lang;

  private InstitutionNames(Map<UUID, Institution> byId, String lang) {
    this.byId = byId;
    this.lang = lang;
  }

  /** The names of the institutions among {@code ids} the caller may see. */
  static Future<InstitutionNames> of(
      InstitutionService institutions, Caller caller, Collection<UUID> ids, String lang) {
    return institutions.byIds(caller, ids).map(found -> new InstitutionNames(found, lang));
  }

  /** The institution's name in {@code lang}. */
  static String name(Institution i, String lang) {
    return "sw".equals(lang) && i.nameSw() != null && !i.nameSw().isBlank() ? i.nameSw() : i.name();
  }

  /** The name of the institution {@code id}, or null when unknown to the caller. */
  String name(UUID id) {
    Institution i = id == null ? null : byId.get(id);
    return i == null ? null : name(i, lang);
  }

  /** The institution whose code is {@code code}, if looked up. */
  Institution byCode(String code) {
    return byId.values().stream().filter(i -> i.code().equals(code)).findFirst().orElse(null);
  }
}
