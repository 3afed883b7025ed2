package io.wingu.controlplane.systems;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Systems of one category that several institutions run separately: the evidence for moving them
 * onto one shared service.
 */
public record DuplicateGroup(
    String category,
    int institutionCount,
    int systemCount,
    long totalUsers,
    List<Member> institutions) {

  /** One institution of the group and its systems of that category. */
  public record Member(UUID id, String code, String name, String nameSw, List<Entry> systems) {}

  /** One of those systems. */
  public record Entry(
      UUID id, String name, String hosting, String builtBy, boolean reviewOverdue) {}

  /** Folds the store's rows (already in the answer's order) into groups. */
  static List<DuplicateGroup> of(List<SystemStore.DuplicateRow> rows, LocalDate today) {
    Map<String, List<SystemStore.DuplicateRow>> byCategory = new LinkedHashMap<>();
    rows.forEach(r -> byCategory.computeIfAbsent(r.category(), k -> new ArrayList<>()).add(r));
    List<DuplicateGroup> groups = new ArrayList<>();
    byCategory.forEach(
        (category, members) -> {
          Map<UUID, List<SystemStore.DuplicateRow>> byInstitution = new LinkedHashMap<>();
          members.forEach(
              r -> byInstitution.computeIfAbsent(r.institutionId(), k -> new ArrayList<>()).add(r));
          List<Member> institutions = new ArrayList<>();
          byInstitution.forEach(
              (id, systems) -> {
                SystemStore.DuplicateRow first = systems.get(0);
                institutions.add(
                    new Member(
                        id,
                        first.institutionCode(),
                        first.institutionName(),
                        first.institutionNameSw(),
                        systems.stream()
                            .map(
                                s ->
                                    new Entry(
                                        s.systemId(),
                                        s.systemName(),
                                        s.hosting(),
                                        s.builtBy(),
                                        IctSystem.overdue(s.reviewedAt(), today)))
                            .toList()));
              });
          SystemStore.DuplicateRow first = members.get(0);
          groups.add(
              new DuplicateGroup(
                  category,
                  first.institutionCount(),
                  first.systemCount(),
                  first.totalUsers(),
                  institutions));
        });
    return groups;
  }

  public JsonObject toJson() {
    JsonArray members = new JsonArray();
    for (Member m : institutions) {
      JsonArray systems = new JsonArray();
      m.systems()
          .forEach(
              s ->
                  systems.add(
                      new JsonObject()
                          .put("id", s.id().toString())
                          .put("name", s.name())
                          .put("hosting", s.hosting())
                          .put("builtBy", s.builtBy())
                          .put("reviewOverdue", s.reviewOverdue())));
      members.add(
          new JsonObject()
              .put("id", m.id().toString())
              .put("code", m.code())
              .put("name", m.name())
              .put("nameSw", m.nameSw())
              .put("systems", systems));
    }
    return new JsonObject()
        .put("category", category)
        .put("institutionCount", institutionCount)
        .put("systemCount", systemCount)
        .put("totalUsers", totalUsers)
        .put("institutions", members);
  }
}
