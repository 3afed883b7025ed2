package io.wingu.controlplane.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.auth.TwoFactorService;
import io.wingu.controlplane.caller.Caller;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A person's own two-factor sign-in: start enrolment (the QR code drawn here, the secret as text),
 * confirm it with a first code, and read the ten recovery codes once.
 */
record AccountPages(TwoFactorService twoFactor, Views views) {

  void addTo(Router router, SessionGate gate) {
    router.get("/account/two-factor").handler(gate.require(Access.readers())).handler(this::show);
    router.post("/account/two-factor").handler(gate.require(Access.readers())).handler(this::start);
    router
        .post("/account/two-factor/confirm")
        .handler(gate.require(Access.readers()))
        .handler(this::confirm);
  }

  private void show(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    twoFactor
        .enabled(caller.accountId())
        .onSuccess(
            on -> {
              Map<String, Object> model = new HashMap<>();
              model.put("enabled", on);
              if (!on && "1".equals(ctx.queryParams().get("required"))) {
                model.put("notice", "twoFactor.required");
              }
              views.send(ctx, 200, "two-factor", "twoFactor.title", model);
            })
        .onFailure(ctx::fail);
  }

  private void start(RoutingContext ctx) {
    Calls.attempt(() -> twoFactor.enrol(SessionGate.caller(ctx)))
        .onSuccess(enrolment -> enrolmentPage(ctx, enrolment, new FormErrors(), 200))
        .onFailure(Calls.onProblem(ctx, problem -> Views.redirect(ctx, "/account/two-factor")));
  }

  private void enrolmentPage(
      RoutingContext ctx, TwoFactorService.Enrolment enrolment, FormErrors errors, int status) {
    String lang = ConsoleLanguage.of(ctx);
    Map<String, Object> model = new HashMap<>(errors.model());
    model.put("secret", enrolment.secret());
    model.put("qr", enrolment.qrSvg(views.messages().text(lang, "twoFactor.qrTitle")));
    views.send(ctx, status, "two-factor-enrol", "twoFactor.enrolTitle", model);
  }

  private void confirm(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    String lang = ConsoleLanguage.of(ctx);
    Calls.attempt(() -> twoFactor.confirm(caller, Form.value(ctx, "code"), Respond.requestId(ctx)))
        .onSuccess(
            codes -> {
              Map<String, Object> model = new HashMap<>();
              model.put("recoveryCodes", List.copyOf(codes));
              views.send(ctx, 200, "two-factor-codes", "twoFactor.codesTitle", model);
            })
        .onFailure(
            Calls.onProblem(
                ctx,
                problem ->
                    twoFactor
                        .pending(caller)
                        .onSuccess(
                            pending -> {
                              if (pending.isEmpty()) {
                                Views.redirect(ctx, "/account/two-factor");
                                return;
                              }
                              enrolmentPage(
                                  ctx,
                                  pending.get(),
                                  new FormErrors()
                                      .add(
                                          "code",
                                          views.messages().text(lang, "twoFactor.wrongCode")),
                                  400);
                            })
                        .onFailure(ctx::fail)));
  }
}
