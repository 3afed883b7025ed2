package io.wingu.controlplane.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.audit.AuditService;
import io.wingu.controlplane.backups.BackupRoutes;
import io.wingu.controlplane.deploytokens.DeployTokenService;
import io.wingu.controlplane.directory.DirectoryService;
import io.wingu.controlplane.institutions.InstitutionService;
import io.wingu.controlplane.notifications.Notifications;
import io.wingu.controlplane.requests.RequestService;
import io.wingu.controlplane.scorecard.ScorecardRoutes;
import io.wingu.controlplane.sites.ContentService;
import io.wingu.controlplane.sites.DeploymentRoutes;
import io.wingu.controlplane.sites.SiteListing;
import io.wingu.controlplane.systems.SystemService;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each list's cursor is what the OpenAPI document says it is: every text its pattern accepts is a
 * key the list can start after, and every cursor the server gives out matches it.
 */
class CursorTest {

  /** The lists of the API and the shape each one's code reads its cursor with. */
  private static final Map<String, Cursor.Shape> LISTS =
      Map.ofEntries(
          Map.entry("/api/v1/institutions", InstitutionService.CURSOR),
          Map.entry("/api/v1/requests", RequestService.CURSOR),
          Map.entry("/api/v1/me/notifications", Notifications.CURSOR),
          Map.entry("/api/v1/sites", SiteListing.CURSOR),
          Map.entry("/api/v1/sites/{id}/content/{kind}", ContentService.ENTRY_CURSOR),
          Map.entry("/api/v1/sites/{id}/documents", ContentService.DOCUMENT_CURSOR),
          Map.entry("/api/v1/sites/{id}/deployments", DeploymentRoutes.CURSOR),
          Map.entry("/api/v1/sites/{id}/tokens", DeployTokenService.CURSOR),
          Map.entry("/api/v1/sites/{id}/backups", BackupRoutes.CURSOR),
          Map.entry("/api/v1/audit", AuditService.CURSOR),
          Map.entry("/api/v1/institutions/{id}/services", DirectoryService.SERVICES_CURSOR),
          Map.entry("/api/v1/institutions/{id}/systems", SystemService.CURSOR),
          Map.entry("/api/v1/public/directory", DirectoryService.CURSOR),
          Map.entry("/api/v1/scorecard", ScorecardRoutes.CURSOR),
          Map.entry("/api/v1/public/scorecard", ScorecardRoutes.CURSOR));

  @Test
  void theDocumentGivesEveryListsCursorTheShapeItsCodeReads() throws Exception {
    JsonNode doc;
    try (InputStream in = getClass().getResourceAsStream("/openapi/wingu.yaml")) {
      doc = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    int lists = 0;
    for (var path : doc.path("paths").properties()) {
      for (var operation : path.getValue().properties()) {
        for (JsonNode parameter : operation.getValue().path("parameters")) {
          JsonNode resolved = resolve(doc, parameter);
          if (!"cursor".equals(resolved.path("name").asText())) {
            continue;
          }
          lists++;
          assertThat(LISTS)
              .as("a list the test knows: %s", path.getKey())
              .containsKey(path.getKey());
          assertThat(resolved.path("schema").path("pattern").asText())
              .as(path.getKey())
              .isEqualTo(LISTS.get(path.getKey()).pattern());
        }
      }
    }
    assertThat(lists).isEqualTo(LISTS.size());
  }

  private static JsonNode resolve(JsonNode doc, JsonNode parameter) {
    String ref = parameter.path("$ref").asText("");
    return ref.isEmpty() ? parameter : doc.at(ref.substring(1));
  }

  @Test
  void keysComeBackAsTheyWentOut() {
    Cursor.Shape timeId = RequestService.CURSOR;
    Instant at = Instant.parse("2026-12-02T10:15:30.123456Z");
    UUID id = UUID.randomUUID();
    String text = timeId.encode(new JsonObject().put("at", at.toString()).put("id", id.toString()));
    assertThat(text).matches(timeId.pattern());
    Cursor back = timeId.decode(text).orElseThrow();
    assertThat(back.instant("at")).isEqualTo(at);
    assertThat(back.uuid("id")).isEqualTo(id);

    Cursor.Shape textId = SystemService.CURSOR;
    String name = "Mfumo wa Malipo — ñ ✓ 𝄞";
    String named = textId.encode(new JsonObject().put("name", name).put("id", id.toString()));
    assertThat(named).matches(textId.pattern());
    assertThat(textId.decode(named).orElseThrow().text("name")).isEqualTo(name);

    assertThat(
            AuditService.CURSOR
                .decode(AuditService.CURSOR.encode(new JsonObject().put("seq", 123456789012L)))
                .orElseThrow()
                .number("seq"))
        .isEqualTo(123456789012L);
    assertThat(ScorecardRoutes.CURSOR.decode("50").orElseThrow().count("p")).isEqualTo(50);
  }

  @Test
  void everyTextThePatternAcceptsIsAKey() {
    // the extremes of each part: the longest time and number, any bytes as text (not valid UTF-8
    // too)
    assertThat(
            RequestService.CURSOR
                .decode("99999999999999999_ffffffffffffffffffffffffffffffff")
                .orElseThrow()
                .instant("at"))
        .isAfter(Instant.parse("5000-01-01T00:00:00Z"));
    assertThat(AuditService.CURSOR.decode("999999999999999999").orElseThrow().number("seq"))
        .isPositive();
    assertThat(ScorecardRoutes.CURSOR.decode("999999999").orElseThrow().count("p"))
        .isEqualTo(999_999_999);
    assertThat(InstitutionService.CURSOR.decode("ff01c3").orElseThrow().text("code")).isNotEmpty();
    assertThat(DirectoryService.CURSOR.decode("61_62").orElseThrow().text("c")).isEqualTo("b");
  }

  @Test
  void anythingElseIsNoCursor() {
    for (String forged :
        new String[] {
          "e30",
          "eyJhdCI6MX0",
          "",
          "-1",
          "1.5",
          "1e3",
          "ABCD",
          "0_0",
          "1__" + "0".repeat(32),
          "1_" + "0".repeat(31)
        }) {
      assertThat(RequestService.CURSOR.decode(forged)).as(forged).isEmpty();
      assertThat(InstitutionService.CURSOR.decode(forged)).as(forged).isEmpty();
      assertThat(ScorecardRoutes.CURSOR.decode(forged)).as(forged).isEmpty();
    }
    assertThat(InstitutionService.CURSOR.decode("6100"))
        .as("a NUL byte, which PostgreSQL text cannot hold")
        .isEmpty();
    assertThat(ScorecardRoutes.CURSOR.decode("9999999999")).as("beyond an int").isEmpty();
    Cursor text = InstitutionService.CURSOR.decode("61").orElseThrow();
    assertThatThrownBy(() -> text.uuid("code")).isInstanceOf(Problem.class);
    assertThatThrownBy(() -> text.number("code")).isInstanceOf(Problem.class);
  }
}
