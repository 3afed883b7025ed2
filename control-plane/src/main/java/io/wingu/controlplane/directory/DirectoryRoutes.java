package io.wingu.controlplane.directory;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Csv;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Role;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The directory's API: institutions' own entries, operators' hiding, and the public directory. */
public record DirectoryRoutes(DirectoryService directory) {

  /** Shared caches may keep a page this long; the ETag makes revalidation cheap. */
  static final String CACHE_CONTROL = "public, max-age=30";

  /** Longer questions are refused; the search itself uses only the first 200 characters. */
  static final int MAX_QUERY = 500;

  private static final Pattern ETAG = Pattern.compile("W/\"dir-(\\d+)-([0-9a-f]{16})\"");

  public void addTo(ApiOperations api) {
    api.add("listInstitutionServices", Access.readers(), this::list);
    api.add("createInstitutionService", Access.roles(Role.INSTITUTION_ADMIN), this::create);
    api.add("updateInstitutionService", Access.roles(Role.INSTITUTION_ADMIN), this::update);
    api.add(
        "deleteInstitutionService",
        Access.roles(Role.INSTITUTION_ADMIN),
        Respond.noContent("serviceId", directory::delete));
    api.add("hideInstitutionService", Access.roles(Role.OPERATOR), this::hide);
    api.add("showInstitutionService", Access.roles(Role.OPERATOR), this::show);
    // free text of any content must reach the search (the generic validator refuses some), and this
    // is the busiest public route: its few parameters are checked here, as the document declares
    // them
    api.addSelfValidated("publicDirectory", Access.anyone(), this::publicDirectory);
  }

  private void list(RoutingContext ctx) {
    Page page = Page.from(ctx, DirectoryService.SERVICES_CURSOR);
    Respond.json(
        ctx,
        200,
        directory
            .list(ApiOperations.caller(ctx), Respond.idParam(ctx, "id"), page)
            .map(entries -> entries.toJson(ServiceEntry::toJson)));
  }

  private void create(RoutingContext ctx) {
    entry(
        ctx,
        201,
        directory.create(
            ApiOperations.caller(ctx),
            Respond.idParam(ctx, "id"),
            ServiceEntry.Input.from(ctx.body().asJsonObject()),
            Respond.requestId(ctx)));
  }

  private void update(RoutingContext ctx) {
    entry(
        ctx,
        200,
        directory.update(
            ApiOperations.caller(ctx),
            Respond.idParam(ctx, "id"),
            Respond.idParam(ctx, "serviceId"),
            ServiceEntry.Input.from(ctx.body().asJsonObject()),
            Respond.requestId(ctx)));
  }

  private void hide(RoutingContext ctx) {
    entry(
        ctx,
        200,
        directory.hide(
            ApiOperations.caller(ctx),
            Respond.idParam(ctx, "id"),
            Respond.idParam(ctx, "serviceId"),
            ctx.body().asJsonObject().getString("reason"),
            Respond.requestId(ctx)));
  }

  private void show(RoutingContext ctx) {
    entry(
        ctx,
        200,
        directory.show(
            ApiOperations.caller(ctx),
            Respond.idParam(ctx, "id"),
            Respond.idParam(ctx, "serviceId"),
            Respond.requestId(ctx)));
  }

  private static void entry(RoutingContext ctx, int status, Future<ServiceEntry> entry) {
    Respond.json(ctx, status, entry.map(ServiceEntry::toJson));
  }

  private void publicDirectory(RoutingContext ctx) {
    Page page = Page.from(ctx, DirectoryService.CURSOR);
    var params = ctx.queryParams();
    checkChoice("category", params.get("category"), DirectoryVocabulary.CATEGORIES);
    checkChoice("region", params.get("region"), DirectoryVocabulary.REGIONS);
    checkChoice("lang", params.get("lang"), java.util.List.of("sw", "en"));
    String q = params.get("q");
    if (q != null && q.length() > MAX_QUERY) {
      throw Problem.badRequest(
          "q must be at most " + MAX_QUERY + " characters",
          java.util.List.of(new FieldError("q", "must be at most " + MAX_QUERY + " characters")));
    }
    DirectorySearch search =
        new DirectorySearch(
            params.get("q"),
            params.get("category"),
            params.get("region"),
            params.get("lang"),
            page.after().map(k -> k.text("k")).orElse(null),
            page.after().map(k -> k.text("c")).orElse(null));
    String accept = ctx.request().getHeader("Accept");
    boolean csv = accept != null && accept.contains("text/csv");
    String question =
        questionHash(search.describe() + "|" + page.limit() + "|" + (csv ? "csv" : "json"));
    Long known = knownVersion(ctx.request().getHeader("If-None-Match"), question);
    directory
        .search(search, page.limit(), known)
        .onSuccess(
            answer -> {
              var response =
                  ctx.response()
                      .putHeader("ETag", "W/\"dir-" + answer.version() + "-" + question + "\"")
                      .putHeader("Cache-Control", CACHE_CONTROL)
                      .putHeader("Vary", "Accept");
              if (answer.page() == null) {
                response.setStatusCode(304).end();
              } else if (csv) {
                response
                    .putHeader("Content-Type", "text/csv; charset=utf-8")
                    .putHeader(
                        "Content-Disposition", "attachment; filename=\"wingu-directory.csv\"")
                    .end(csv(answer.page(), search.lang()));
              } else {
                response.putHeader("Content-Type", "application/json").end(answer.json());
              }
            })
        .onFailure(ctx::fail);
  }

  private static void checkChoice(String name, String value, java.util.List<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      throw Problem.badRequest(
          name + " must be one of " + allowed,
          java.util.List.of(new FieldError(name, "must be one of " + allowed)));
    }
  }

  /** The directory version an If-None-Match names for this same question, if it does. */
  static Long knownVersion(String ifNoneMatch, String question) {
    if (ifNoneMatch == null) {
      return null;
    }
    Matcher m = ETAG.matcher(ifNoneMatch);
    while (m.find()) {
      if (m.group(2).equals(question)) {
        try {
          return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  static String questionHash(String question) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(question.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One row per site or service, its texts in {@code lang}; a spreadsheet's formula characters are
   * defused.
   */
  static String csv(JsonObject page, String lang) {
    StringWriter out = new StringWriter();
    try (CSVPrinter p =
        new CSVPrinter(
            out,
            CSVFormat.RFC4180
                .builder()
                .setHeader(
                    "institution_code",
                    "institution_name",
                    "kind",
                    "name",
                    "description",
                    "url",
                    "category",
                    "region")
                .get())) {
      for (Object o : page.getJsonArray("items")) {
        JsonObject inst = (JsonObject) o;
        String instName = inst.getJsonObject("name").getString(lang);
        for (Object s : inst.getJsonArray("sites", new JsonArray())) {
          JsonObject site = (JsonObject) s;
          p.printRecord(
              Csv.defuse(inst.getString("code")),
              Csv.defuse(instName),
              "site",
              Csv.defuse(site.getString("name")),
              "",
              Csv.defuse(site.getString("url")),
              "",
              "");
        }
        for (Object s : inst.getJsonArray("services", new JsonArray())) {
          JsonObject svc = (JsonObject) s;
          p.printRecord(
              Csv.defuse(inst.getString("code")),
              Csv.defuse(instName),
              "service",
              Csv.defuse(svc.getJsonObject("name").getString(lang)),
              Csv.defuse(svc.getJsonObject("description").getString(lang)),
              Csv.defuse(svc.getString("url")),
              svc.getString("category"),
              svc.getString("region"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
