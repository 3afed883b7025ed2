package io.wingu.controlplane.web;

import io.wingu.controlplane.caller.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The links at the top of every page, by role: each role sees only what it may use. */
final class Navigation {

  private record Item(String href, String key, List<Role> roles) {}

  private static final List<Role> PLATFORM = List.of(Role.OPERATOR, Role.AUDITOR);
  private static final List<Role> PEOPLE =
      List.of(Role.OPERATOR, Role.AUDITOR, Role.INSTITUTION_ADMIN, Role.WEBMASTER);

  private static final List<Item> ITEMS =
      List.of(
          new Item("/", "nav.home", PEOPLE),
          new Item(
              "/requests",
              "nav.requests",
              List.of(Role.OPERATOR, Role.AUDITOR, Role.INSTITUTION_ADMIN)),
          new Item("/sites", "nav.sites", PEOPLE),
          new Item(
              "/institutions",
              "nav.institutions",
              List.of(Role.OPERATOR, Role.AUDITOR, Role.INSTITUTION_ADMIN)),
          new Item("/audit", "nav.audit", PLATFORM),
          new Item("/systems", "nav.systems", List.of(Role.INSTITUTION_ADMIN, Role.WEBMASTER)),
          new Item("/systems/duplicates", "nav.systemDuplicates", PLATFORM),
          new Item("/usage", "nav.usage", PLATFORM),
          new Item(
              "/scores",
              "nav.scores",
              List.of(Role.OPERATOR, Role.AUDITOR, Role.INSTITUTION_ADMIN)),
          new Item("/settings/notifications", "nav.notificationSettings", List.of(Role.OPERATOR)),
          new Item("/account/notifications", "nav.notifications", PEOPLE),
          new Item("/account/two-factor", "nav.twoFactor", PEOPLE),
          new Item("/account/sessions", "nav.sessions", PEOPLE));

  private Navigation() {}

  private static final List<Item> PUBLIC =
      List.of(
          new Item("/directory", "nav.directory", List.of()),
          new Item("/scorecard", "nav.scorecard", List.of()),
          new Item("/login", "nav.signIn", List.of()));

  /** The links of the public pages, the same for every visitor. */
  static List<Map<String, Object>> publicItems(String path) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Item item : PUBLIC) {
      out.add(
          Map.of("href", item.href(), "key", item.key(), "current", path.startsWith(item.href())));
    }
    return out;
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
