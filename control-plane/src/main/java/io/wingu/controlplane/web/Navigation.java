package io.wingu.controlplane.web;

import io.wingu.controlplane.auth.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The links at the top of every page, by role: each role sees only what it may use. */
final class Navigation {

  private record Item(String href, String key, List<Role> roles) {
  }

  private static final List<Role> PLATFORM = List.of(Role.OPERATOR, Role.AUDITOR);
  private static final List<Role> PEOPLE = List.of(Role.OPERATOR, Role.AUDITOR, Role.INSTITUTION_ADMIN,
      Role.WEBMASTER);

  private static final List<Item> ITEMS = List.of(
      new Item("/", "nav.home", PEOPLE),
      new Item("/requests", "nav.requests", List.of(Role.OPERATOR, Role.AUDITOR, Role.INSTITUTION_ADMIN)),
      new Item("/sites", "nav.sites", PEOPLE),
      new Item("/institutions", "nav.institutions", List.of(Role.OPERATOR, Role.AUDITOR, Role.INSTITUTION_ADMIN)),
      new Item("/audit", "nav.audit", PLATFORM),
      new Item("/usage", "nav.usage", PLATFORM));

  private Navigation() {
  }

  static List<Map<String, Object>> items(Role role, String path) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Item item : ITEMS) {
      if (item.roles().contains(role)) {
        boolean current = item.href().equals("/") ? path.equals("/") : path.startsWith(item.href());
        out.add(Map.of("href", item.href(), "key", item.key(), "current", current));
      }
    }
    return out;
  }
}
