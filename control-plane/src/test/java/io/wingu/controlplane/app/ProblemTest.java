package io.wingu.controlplane.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemTest {

  @Test
  void validationProblemsListEachField() {
    var json =
        Problem.badRequest(
                "2 fields are invalid",
                List.of(
                    new FieldError("code", "must be 2-20 characters"),
                    new FieldError("domains[0]", "is not a DNS name")))
            .toJson();
    assertThat(json.getInteger("status")).isEqualTo(400);
    assertThat(json.getString("title")).isEqualTo("Invalid request");
    assertThat(json.getString("type")).isEqualTo("https://wingu.go.tz/problems/invalid-request");
    assertThat(json.getString("detail")).isEqualTo("2 fields are invalid");
    assertThat(json.getJsonArray("errors")).hasSize(2);
    assertThat(json.getJsonArray("errors").getJsonObject(1).getString("field"))
        .isEqualTo("domains[0]");
  }

  @Test
  void otherProblemsHaveNoErrorsMember() {
    assertThat(Problem.notFound("nothing here").toJson().containsKey("errors")).isFalse();
  }
}
