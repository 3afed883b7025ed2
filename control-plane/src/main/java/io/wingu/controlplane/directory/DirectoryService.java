package io.wingu.controlplane.directory;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.app.Listing;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditedDatabase;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.institutions.Institution;
import io.wingu.controlplane.institutions.InstitutionService;
import io.wingu.controlplane.sites.ServedSite;
import io.wingu.controlplane.sites.SiteListing;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The rules of the public directory, for the API and the console alike: institution admins keep
 * their entries, operators hide one with a reason, and anyone searches what is visible.
 */
public final class DirectoryService {

  /**
   * The public directory is listed by name in the asked language: a cursor names the last one's
   * sort key and code.
   */
  public static final Cursor.Shape CURSOR =
      Cursor.Shape.of(Cursor.Part.text("k"), Cursor.Part.text("c"));

  /**
   * An institution's services are listed by English name: a cursor names the last one's name and
   * id.
   */
  public static final Cursor.Shape SERVICES_CURSOR =
      Cursor.Shape.of(Cursor.Part.text("n"), Cursor.Part.uuid("i"));

  static final int MAX_NAME = 200;
  static final int MAX_DESCRIPTION = 2000;
  static final int MAX_URL = 2000;
  private static final int CACHED_ANSWERS = 2000;

  private final AuditedDatabase db;
  private final DirectoryStore store = new DirectoryStore();
  private final InstitutionService institutions;
  private final SiteListing sites;

  /** Answers by directory version and question: the version changes with anything they show. */
  private final Map<String, Answer> answers =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
          return size() > CACHED_ANSWERS;
        }
      };

  public DirectoryService(AuditedDatabase db, InstitutionService institutions, SiteListing sites) {
    this.db = db;
    this.institutions = institutions;
    this.sites = sites;
  }

  /**
   * One page of an institution's entries (hidden ones too, with the reason), for its people and the
   * platform's.
   */
  public Future<Listing<ServiceEntry>> list(Caller caller, UUID institutionId, Page page) {
    return db.withHandle(
        h -> {
          institution(h, caller, institutionId);
          return page.listing(
              store.list(h, institutionId, Keyset.ascending(page, "s.name_en", "s.id")),
              e -> new JsonObject().put("n", e.name().en()).put("i", e.id().toString()));
        });
  }

  public Future<ServiceEntry> find(Caller caller, UUID institutionId, UUID id) {
    return db.withHandle(
        h ->
            store
                .find(h, caller.scope(), institutionId, id, false)
                .orElseThrow(() -> notFound(id)));
  }

  public Future<ServiceEntry> create(
      Caller caller, UUID institutionId, ServiceEntry.Input in, String requestId) {
    validate(in);
    return db.inTransaction(
        h -> {
          Institution inst = institution(h, caller, institutionId);
          requireOwnAdmin(caller);
          Instant now = now();
          ServiceEntry e = written(UUID.randomUUID(), inst, in, null, now, now);
          store.insert(h, e, caller.username());
          record(h, caller, "directory.create", inst, null, e, requestId);
          return e;
        });
  }

  public Future<ServiceEntry> update(
      Caller caller, UUID institutionId, UUID id, ServiceEntry.Input in, String requestId) {
    validate(in);
    return db.inTransaction(
        h -> {
          Institution inst = institution(h, caller, institutionId);
          ServiceEntry before = locked(h, caller, institutionId, id);
          requireOwnAdmin(caller);
          ServiceEntry after = written(id, inst, in, before.hidden(), before.createdAt(), now());
          store.update(h, after, caller.username());
          record(h, caller, "directory.update", inst, before, after, requestId);
          return after;
        });
  }

  public Future<Void> delete(Caller caller, UUID institutionId, UUID id, String requestId) {
    return db.inTransaction(
        h -> {
          Institution inst = institution(h, caller, institutionId);
          ServiceEntry before = locked(h, caller, institutionId, id);
          requireOwnAdmin(caller);
          store.delete(h, id);
          record(h, caller, "directory.delete", inst, before, null, requestId);
          return null;
        });
  }

  /**
   * Operators take an entry out of the public directory, saying why (the institution sees the
   * reason).
   */
  public Future<ServiceEntry> hide(
      Caller caller, UUID institutionId, UUID id, String reason, String requestId) {
    if (reason == null || reason.isBlank() || reason.length() > MAX_DESCRIPTION) {
      throw DomainError.invalid(
          "Hiding an entry needs a reason",
          List.of(new FieldError("reason", "must be 1 to " + MAX_DESCRIPTION + " characters")));
    }
    return setHidden(caller, institutionId, id, reason.strip(), "directory.hide", requestId);
  }

  public Future<ServiceEntry> show(Caller caller, UUID institutionId, UUID id, String requestId) {
    return setHidden(caller, institutionId, id, null, "directory.show", requestId);
  }

  private Future<ServiceEntry> setHidden(
      Caller caller, UUID institutionId, UUID id, String reason, String action, String requestId) {
    if (caller.role() != Role.OPERATOR) {
      throw DomainError.forbidden("Only operators hide or show directory entries");
    }
    return db.inTransaction(
        h -> {
          Institution inst = institution(h, caller, institutionId);
          ServiceEntry before = locked(h, caller, institutionId, id);
          ServiceEntry.Hidden hidden =
              reason == null ? null : new ServiceEntry.Hidden(reason, now(), caller.username());
          store.setHidden(h, id, hidden);
          ServiceEntry after = before.withHidden(hidden);
          record(h, caller, action, inst, before, after, requestId);
          return after;
        });
  }

  /** The entry as its owner writes it. */
  private static ServiceEntry written(
      UUID id,
      Institution inst,
      ServiceEntry.Input in,
      ServiceEntry.Hidden hidden,
      Instant createdAt,
      Instant updatedAt) {
    return new ServiceEntry(
        id,
        inst.id(),
        in.name(),
        in.description(),
        in.url().strip(),
        in.category(),
        in.region(),
        hidden,
        createdAt,
        updatedAt);
  }

  /** The entry, locked for a change in this transaction; 404 when the scope does not hold it. */
  private ServiceEntry locked(Handle h, Caller caller, UUID institutionId, UUID id) {
    return store.find(h, caller.scope(), institutionId, id, true).orElseThrow(() -> notFound(id));
  }

  /** The change in the audit log, in the same transaction ({@code before} null: created). */
  private void record(
      Handle h,
      Caller caller,
      String action,
      Institution inst,
      ServiceEntry before,
      ServiceEntry after,
      String requestId)
      throws java.sql.SQLException {
    db.audit(
        h,
        new AuditEntry(
            caller.username(),
            action,
            target(inst, after != null ? after : before),
            inst.id(),
            requestId,
            before == null ? null : before.toJson(),
            after == null ? null : after.toJson()));
  }

  /** One page of the public directory, and the version of the directory it reflects. */
  public static final class Answer {
    private final long version;
    private final JsonObject page;
    private volatile byte[] json;

    Answer(long version, JsonObject page) {
      this.version = version;
      this.page = page;
    }

    public long version() {
      return version;
    }

    /** The page, or null when the asker already holds this version. */
    public JsonObject page() {
      return page;
    }

    /**
     * The page as JSON, encoded once however often the cached answer is served (a fresh Buffer each
     * time: responses on several event loops never share one).
     */
    public Buffer json() {
      byte[] encoded = json;
      if (encoded == null) {
        encoded = page.toBuffer().getBytes();
        json = encoded;
      }
      return Buffer.buffer(encoded);
    }
  }

  /**
   * A page of the public directory as JSON {@code {items, nextCursor}}. {@code known} is the
   * version the asker already holds (from its ETag): when nothing changed since, the page is not
   * built (null page). A site is listed only while it is served (see {@link ServedSite}), and an
   * institution only with a served site or a visible service entry.
   */
  public Future<Answer> search(DirectorySearch search, int limit, Long known) {
    return db.withHandle(
        h -> {
          List<ServedSite> served = sites.served(h);
          long version = version(store.version(h), served);
          if (known != null && known == version) {
            return new Answer(version, null);
          }
          String key = version + "\u0002" + limit + "\u0002" + search.describe();
          Answer cached;
          synchronized (answers) {
            cached = answers.get(key);
          }
          if (cached != null) {
            return cached;
          }
          Page page = new Page(limit, search.after(), CURSOR);
          Answer answer =
              new Answer(
                  version,
                  toJson(
                      page.listing(
                          store.search(h, search, page, served),
                          l -> new JsonObject().put("k", l.sortKey()).put("c", l.code()))));
          synchronized (answers) {
            answers.put(key, answer);
          }
          return answer;
        });
  }

  /**
   * The version of what the directory shows: the counter the directory's own tables move (entries,
   * institutions, sites' names and hostnames) with the sites served now, whose Available condition
   * and current revision the reconciler and deployments change without moving it. Positive, as the
   * ETag writes it.
   */
  static long version(long counter, List<ServedSite> served) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(ByteBuffer.allocate(Long.BYTES).putLong(counter).array());
      for (ServedSite s : served) {
        d.update(
            (s.id() + "\u0001" + s.name() + "\u0001" + String.join(",", s.hostnames()) + "\u0002")
                .getBytes(StandardCharsets.UTF_8));
      }
      return ByteBuffer.wrap(d.digest()).getLong() & Long.MAX_VALUE;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject toJson(Listing<DirectoryStore.Listed> page) {
    return page.toJson(DirectoryService::toJson);
  }

  private static JsonObject toJson(DirectoryStore.Listed l) {
    JsonArray sites = new JsonArray();
    for (DirectoryStore.Site s : l.sites()) {
      sites.add(
          new JsonObject()
              .put("name", s.name())
              .put("url", "https://" + s.hostnames().get(0) + "/")
              .put("hostnames", new JsonArray(s.hostnames())));
    }
    JsonArray services = new JsonArray();
    l.services().forEach(e -> services.add(e.toPublicJson()));
    return new JsonObject()
        .put("code", l.code())
        .put(
            "name",
            new JsonObject()
                .put("sw", l.nameSw() != null ? l.nameSw() : l.name())
                .put("en", l.name()))
        .put("sites", sites)
        .put("services", services);
  }

  /** Every rule an entry must meet; the OpenAPI document says the same for API callers. */
  static void validate(ServiceEntry.Input in) {
    List<FieldError> errors = new ArrayList<>();
    text(errors, "name.sw", in.name() == null ? null : in.name().sw(), MAX_NAME);
    text(errors, "name.en", in.name() == null ? null : in.name().en(), MAX_NAME);
    text(
        errors,
        "description.sw",
        in.description() == null ? null : in.description().sw(),
        MAX_DESCRIPTION);
    text(
        errors,
        "description.en",
        in.description() == null ? null : in.description().en(),
        MAX_DESCRIPTION);
    String urlProblem = urlProblem(in.url());
    if (urlProblem != null) {
      errors.add(new FieldError("url", urlProblem));
    }
    if (in.category() == null || !DirectoryVocabulary.CATEGORIES.contains(in.category())) {
      errors.add(new FieldError("category", "must be one of " + DirectoryVocabulary.CATEGORIES));
    }
    if (in.region() == null || !DirectoryVocabulary.REGIONS.contains(in.region())) {
      errors.add(new FieldError("region", "must be one of " + DirectoryVocabulary.REGIONS));
    }
    if (!errors.isEmpty()) {
      throw DomainError.invalid("The directory entry is not valid", errors);
    }
  }

  private static void text(List<FieldError> errors, String field, String value, int max) {
    if (value == null || value.isBlank()) {
      errors.add(new FieldError(field, "must not be blank"));
    } else if (value.length() > max) {
      errors.add(new FieldError(field, "must be at most " + max + " characters"));
    }
  }

  /** Null when {@code url} is an absolute https URL with a host; else what is wrong with it. */
  static String urlProblem(String url) {
    if (url == null || url.isBlank()) {
      return "must not be blank";
    }
    if (url.strip().length() > MAX_URL) {
      return "must be at most " + MAX_URL + " characters";
    }
    try {
      URI uri = new URI(url.strip());
      if (!"https".equals(uri.getScheme())) {
        return "must start with https://";
      }
      if (uri.getHost() == null || uri.getUserInfo() != null) {
        return "must name a host, without a user name or password";
      }
      return null;
    } catch (URISyntaxException e) {
      return "is not a valid URL";
    }
  }

  private Institution institution(Handle h, Caller caller, UUID institutionId)
      throws java.sql.SQLException {
    return institutions.get(h, caller.scope(), institutionId);
  }

  /** Entries are kept by the institution's own admin (the scope already limited them to theirs). */
  private static void requireOwnAdmin(Caller caller) {
    if (caller.role() != Role.INSTITUTION_ADMIN) {
      throw DomainError.forbidden("Only the institution's admin keeps its directory entries");
    }
  }

  private static String target(Institution inst, ServiceEntry e) {
    return "institution/" + inst.code() + "/service/" + e.id();
  }

  private static DomainError notFound(UUID id) {
    return DomainError.notFound("No directory entry " + id);
  }

  private Instant now() {
    return db.now();
  }
}
