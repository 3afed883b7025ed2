package io.wingu.controlplane.scorecard;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The scorecard's API: operators' ranking and publishing, institutions' own score, the public
 * ranking.
 */
public record ScorecardRoutes(ScorecardService scorecard) {

  /**
   * A ranking is paged by position, which a ranking never reorders: a cursor names where the next
   * page starts.
   */
  public static final Cursor.Shape CURSOR = ScorecardService.CURSOR;

  public void addTo(ApiOperations api) {
    api.add("getScorecard", Access.readers(), this::get);
    api.add("publishScorecard", Access.roles(Role.OPERATOR), this::publish);
    api.add("scorecardHistory", Access.readers(), this::history);
    api.add("publicScorecard", Access.anyone(), this::publicScorecard);
  }

  private void get(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    String monthParam = ctx.queryParams().get("month");
    YearMonth month =
        monthParam == null ? scorecard.currentMonth() : scorecard.month(monthParam, "month");
    Page page = Page.from(ctx, CURSOR);
    int from = position(page);
    if (caller.role().ofInstitution()) {
      Respond.json(
          ctx,
          200,
          scorecard.rankingFor(caller, month).map(r -> r.toJson(r.items(), Score::toJson)));
      return;
    }
    boolean draft = "true".equals(ctx.queryParams().get("draft"));
    Respond.json(
        ctx,
        200,
        scorecard
            .ranking(month, draft, page.after().isPresent())
            .map(r -> paged(r, from, page.limit(), Score::toJson)));
  }

  private void publish(RoutingContext ctx) {
    YearMonth month = scorecard.month(ctx.pathParam("month"), "month");
    JsonObject body = ctx.body().asJsonObject();
    Respond.json(
        ctx,
        201,
        scorecard
            .publish(
                ApiOperations.caller(ctx),
                month,
                body == null ? null : body.getString("note"),
                Respond.requestId(ctx))
            .map(Publication::toJson));
  }

  private void history(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    String asked = ctx.queryParams().get("institutionId");
    UUID institution;
    try {
      institution = asked == null ? null : UUID.fromString(asked);
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest(
          "institutionId must be a UUID",
          List.of(new FieldError("institutionId", "must be a UUID")));
    }
    if (caller.role().ofInstitution()) {
      UUID own = caller.institutionId().orElseThrow();
      if (institution != null && !institution.equals(own)) {
        throw Problem.notFound("No institution " + institution);
      }
      institution = own;
    }
    Respond.json(ctx, 200, scorecard.history(institution));
  }

  private void publicScorecard(RoutingContext ctx) {
    String monthParam = ctx.queryParams().get("month");
    YearMonth month = monthParam == null ? null : scorecard.month(monthParam, "month");
    Page page = Page.from(ctx, CURSOR);
    int from = position(page);
    scorecard
        .published(month)
        .map(r -> paged(r, from, page.limit(), null))
        .onSuccess(
            body ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "public, max-age=300")
                    .end(body.encode()))
        .onFailure(ctx::fail);
  }

  /**
   * Where the page starts: read before anything else, so a forged cursor is a 400 whatever the
   * month holds.
   */
  private static int position(Page page) {
    return page.after().map(k -> k.count("p")).orElse(0);
  }

  /**
   * A page of the ranking (public when {@code item} is null): the cursor is the position, which a
   * ranking never reorders.
   */
  static JsonObject paged(Ranking r, int from, int limit, Function<Score, JsonObject> item) {
    List<Score> all = r.items();
    int to = (int) Math.min(all.size(), (long) from + limit);
    List<Score> shown = from >= all.size() ? List.of() : all.subList(from, to);
    JsonObject json = item == null ? r.toPublicJson(shown) : r.toJson(shown, item);
    return json.put(
        "nextCursor", to < all.size() ? CURSOR.encode(new JsonObject().put("p", to)) : null);
  }
}
