package io.wingu.controlplane.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The SQL a keyset page adds to a list's query, on the first page and after a cursor. */
class KeysetTest {

  private static final Cursor.Shape NEWEST =
      Cursor.Shape.of(Cursor.Part.time("at"), Cursor.Part.uuid("id"));

  @Test
  void theFirstPageTakesEveryRowInOrder() {
    Keyset keyset = Keyset.descending(Page.of("10", null, NEWEST), "r.created_at", "r.id");

    assertThat(keyset.after()).isEqualTo("TRUE");
    assertThat(keyset.orderAndLimit())
        .isEqualTo(" ORDER BY r.created_at DESC, r.id DESC LIMIT :keyset_limit");
  }

  @Test
  void aCursorStartsAfterItsRowInTheListsDirection() {
    String cursor =
        NEWEST.encode(
            new JsonObject()
                .put("at", Instant.parse("2025-01-02T03:04:05.123456Z"))
                .put("id", UUID.randomUUID().toString()));

    assertThat(Keyset.descending(Page.of(null, cursor, NEWEST), "created_at", "id").after())
        .isEqualTo("(created_at, id) < (:after_at, :after_id)");
    assertThat(Keyset.ascending(Page.of(null, cursor, NEWEST), "created_at", "id").after())
        .isEqualTo("(created_at, id) > (:after_at, :after_id)");
  }

  @Test
  void theColumnsMustMatchTheCursorsParts() {
    assertThatThrownBy(() -> Keyset.ascending(Page.of(null, null, NEWEST), "created_at"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
