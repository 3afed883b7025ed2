package io.wingu.controlplane.sites;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.app.Listing;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.caller.Scope;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Reading sites, for the API and the console alike: one site, or pages of them newest first. */
public final class SiteListing {

  private final Database db;
  private final SiteStore sites = new SiteStore();
  private final TemplateVersions versions;

  public SiteListing(Database db, TemplateVersions versions) {
    this.db = db;
    this.versions = versions;
  }

  /** Sites are listed newest first: a cursor names the last one's time and id. */
  public static final Cursor.Shape CURSOR =
      Cursor.Shape.of(Cursor.Part.time("at"), Cursor.Part.uuid("id"));

  /** Newest first; only those on an outdated template version when {@code outdatedOnly}. */
  public Future<Listing<SiteView>> page(Scope scope, Page page, boolean outdatedOnly) {
    return db.withHandle(
        h -> {
          List<SiteStore.TemplateVersion> only =
              outdatedOnly ? versions.outdatedOf(sites.templateVersions(h, scope)) : null;
          List<SiteView> found =
              only != null && only.isEmpty()
                  ? List.of()
                  : sites.list(h, scope, Keyset.descending(page, "s.created_at", "s.id"), only);
          return page.listing(
              found,
              s ->
                  new JsonObject()
                      .put("at", s.createdAt().toString())
                      .put("id", s.id().toString()));
        });
  }

  /** The site, when the scope covers it. */
  public Future<SiteView> get(Scope scope, UUID id) {
    return db.withHandle(h -> get(h, scope, id));
  }

  /** The site, when the scope covers it, within the caller's transaction (404 otherwise). */
  public SiteView get(Handle h, Scope scope, UUID id) {
    return sites.find(h, scope, id, false).orElseThrow(() -> DomainError.notFound("No site " + id));
  }

  /**
   * Every site visitors can reach now (see {@link ServedSite}), within the caller's transaction:
   * what the public directory lists.
   */
  public List<ServedSite> served(Handle h) {
    return sites.served(h);
  }

  /** The scope's newest sites, at most {@code max}, within the caller's transaction. */
  public List<SiteView> newest(Handle h, Scope scope, int max) {
    Page first = new Page(max, Optional.empty(), CURSOR);
    return first
        .listing(
            sites.list(h, scope, Keyset.descending(first, "s.created_at", "s.id"), null),
            s -> new JsonObject().put("at", s.createdAt().toString()).put("id", s.id().toString()))
        .items();
  }
}
