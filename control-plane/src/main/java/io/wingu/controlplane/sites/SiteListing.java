package io.wingu.controlplane.sites;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.auth.Scope;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Pages of sites as GET /sites answers them, for the API and the console alike. */
public final class SiteListing {

  private final SiteStore sites;
  private final TemplateVersions versions;

  public SiteListing(SiteStore sites, TemplateVersions versions) {
    this.sites = sites;
    this.versions = versions;
  }

  /** Sites are listed newest first: a cursor names the last one's time and id. */
  public static final Cursor.Shape CURSOR = Cursor.Shape.of(
      Cursor.Part.time("at"), Cursor.Part.uuid("id"));

  /** Newest first: {@code items} (with their template versions) and {@code nextCursor}. */
  public JsonObject page(Connection c, Scope scope, Page page, boolean outdatedOnly) throws SQLException {
    Instant afterAt = page.after().map(k -> k.instant("at")).orElse(null);
    UUID afterId = page.after().map(k -> k.uuid("id")).orElse(null);
    List<SiteStore.TemplateVersion> only = outdatedOnly ? versions.outdatedOf(sites.templateVersions(c, scope)) : null;
    List<SiteView> found = only != null && only.isEmpty() ? List.of()
        : sites.list(c, scope, afterAt, afterId, page.fetchSize(), only);
    return page.answer(found, versions::toJson,
        s -> new JsonObject().put("at", s.createdAt().toString()).put("id", s.id().toString()));
  }
}
