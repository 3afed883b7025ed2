package io.wingu.controlplane.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every domain error becomes the problem+json the API has always answered, a conflict with its
 * code.
 */
class DomainErrorTest {

  @Test
  void notFoundIsA404WithoutCode() {
    var json = Problem.of(DomainError.notFound("No site 1")).toJson();
    assertThat(json.getInteger("status")).isEqualTo(404);
    assertThat(json.getString("title")).isEqualTo("Not found");
    assertThat(json.getString("detail")).isEqualTo("No site 1");
    assertThat(json.containsKey("code")).isFalse();
    assertThat(json.containsKey("errors")).isFalse();
  }

  @Test
  void aConflictIsA409WithItsStableCode() {
    Problem p =
        Problem.of(
            DomainError.conflict("hostname-taken", "hostnames", "The hostname a.go.tz is served"));
    var json = p.toJson();
    assertThat(json.getInteger("status")).isEqualTo(409);
    assertThat(json.getString("title")).isEqualTo("Conflict");
    assertThat(json.getString("type")).isEqualTo("https://wingu.go.tz/problems/conflict");
    assertThat(json.getString("code")).isEqualTo("hostname-taken");
    assertThat(json.getString("detail")).isEqualTo("The hostname a.go.tz is served");
    assertThat(json.containsKey("errors")).isFalse();
    assertThat(p.conflictField()).isEqualTo("hostnames");
  }

  @Test
  void invalidIsA400ListingEachFieldWithoutTheConsolesCodes() {
    var json =
        Problem.of(
                DomainError.invalid(
                    "The request is not valid",
                    List.of(
                        new FieldError("reason", "must not be blank", "reason-required"),
                        new FieldError("plan", "no plan"))))
            .toJson();
    assertThat(json.getInteger("status")).isEqualTo(400);
    assertThat(json.getString("title")).isEqualTo("Invalid request");
    assertThat(json.containsKey("code")).isFalse();
    assertThat(json.getJsonArray("errors").getJsonObject(0).fieldNames())
        .containsExactlyInAnyOrder("field", "message");
    assertThat(json.getJsonArray("errors").getJsonObject(1).getString("field")).isEqualTo("plan");
  }

  @Test
  void forbiddenIsA403() {
    var json = Problem.of(DomainError.forbidden("Only operators publish the scorecard")).toJson();
    assertThat(json.getInteger("status")).isEqualTo(403);
    assertThat(json.getString("title")).isEqualTo("Forbidden");
    assertThat(json.getString("detail")).isEqualTo("Only operators publish the scorecard");
  }

  @Test
  void theViolatedKeysValuesAreReadFromPostgresDetail() {
    assertThat(ConstraintConflicts.values("Key (hostname)=(www.moh.go.tz) already exists."))
        .containsExactly("www.moh.go.tz");
    assertThat(
            ConstraintConflicts.values(
                "Key (institution_id, name)=(0b6f-1, tovuti) already exists."))
        .containsExactly("0b6f-1", "tovuti");
    assertThat(ConstraintConflicts.values(null)).isEmpty();
    assertThat(ConstraintConflicts.values("something else")).isEmpty();
  }
}
