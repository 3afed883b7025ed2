package io.wingu.controlplane.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Schemathesis (pinned, from PyPI; ./wingu test installs it) fuzzes the served OpenAPI document
 * against a real server as an operator and as an institution admin, with every check it has ({@link
 * #CHECKS}).
 */
class ContractIT {

  /**
   * Every check schemathesis has: beyond no server error and answers that fit the document, valid
   * input is accepted and invalid input refused, undeclared methods get 405 with {@code Allow}, a
   * request without its token is refused, and a deleted resource is gone.
   */
  private static final String CHECKS = "all";

  private static ControlPlane plane;
  private static ApiClient operator;
  private static ApiClient admin;

  /**
   * Both callers sign in first: the fuzzer's wrong passwords slow down further sign-ins, as they
   * should.
   */
  @BeforeAll
  static void start() {
    Map<String, String> env = new HashMap<>(TestControlPlane.env("contract"));
    env.put("WINGU_LOGIN_RATE", "10000");
    plane = TestControlPlane.start(env);
    operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    String id =
        operator
            .post(
                "/api/v1/institutions",
                new JsonObject()
                    .put("code", "contract")
                    .put("name", "Contract")
                    .put("domains", new JsonArray().add("contract.go.tz"))
                    .put("contactEmail", "ict@contract.go.tz"))
            .json()
            .getString("id");
    operator.post(
        "/api/v1/institutions/" + id + "/users",
        new JsonObject()
            .put("username", "contract-admin")
            .put("password", "contract-admin-password")
            .put("role", "institution-admin"));
    admin = ApiClient.signIn(plane.url(), "contract-admin", "contract-admin-password");
  }

  @AfterAll
  static void stop() {
    plane.close();
  }

  /** The settings next to this test: which operations may refuse schema-valid input, and why. */
  private static String config() {
    try {
      return Path.of(ContractIT.class.getResource("/schemathesis.toml").toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String schemathesis() {
    String path = System.getenv("WINGU_SCHEMATHESIS");
    if (path == null) {
      path =
          Path.of(
                  System.getProperty("user.home"),
                  ".cache/wingu/schemathesis-4.32.5/bin/schemathesis")
              .toString();
    }
    assertThat(Path.of(path))
        .as("schemathesis is installed by scripts/install-schemathesis.sh (./wingu test runs it)")
        .isExecutable();
    return path;
  }

  /**
   * Fuzzes as {@code caller}; {@code operations} selects what: every operation but those that end
   * the caller's own session ({@link #ENDS_OWN_SESSION}), or one of those alone with a sign-in made
   * for it.
   */
  private static void fuzzAs(ApiClient caller, String name, String... operations) throws Exception {
    Path out = Files.createTempFile("schemathesis-" + name, ".log");
    // one worker: with two, hypothesis parses lambda sources with ast.parse from two threads at
    // once,
    // and Python 3.11 fails that now and then ("AST constructor recursion depth mismatch")
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                schemathesis(),
                "--config-file",
                config(),
                "run",
                plane.url() + "/api/v1/openapi.yaml",
                "-H",
                "Authorization: Bearer " + caller.token(),
                "--checks",
                CHECKS,
                "--phases",
                "examples,coverage,fuzzing",
                "--max-examples",
                "25",
                "-w",
                "1",
                "--no-color",
                "--seed",
                "20261125",
                // every request and answer, in order, for reading after a surprise
                "--report",
                "har",
                "--report-har-path",
                Path.of("target", "schemathesis-" + name + ".har").toString()));
    command.addAll(List.of(operations));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    String report = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(report).isZero();
    // the summary line counts test cases; any failure or error would be named on it (a skip is a
    // case schemathesis could not make, e.g. an invalid value for a parameter with no constraint)
    assertThat(
            report.lines().map(String::strip).filter(l -> l.matches("\\d+ generated, .*")).toList())
        .as(report)
        .singleElement()
        .matches(
            l -> l.matches("(\\d+) generated, \\1 passed(, \\d+ skipped)?"),
            "all generated cases passed");
  }

  /**
   * Operations that can end the very session the fuzzer calls with: logging out, and ending one's
   * own session by its id (the fuzzer learns that id from GET /me/sessions). Run with the others,
   * every later case would get 401 and prove nothing.
   */
  private static final List<String> ENDS_OWN_SESSION = List.of("logout", "endMySession");

  private static String[] allButSessionEnders() {
    List<String> args = new java.util.ArrayList<>();
    ENDS_OWN_SESSION.forEach(id -> args.addAll(List.of("--exclude-operation-id", id)));
    return args.toArray(String[]::new);
  }

  @Test
  void theServedDocumentHoldsForAnOperator() throws Exception {
    fuzzAs(operator, "operator", allButSessionEnders());
    assertThat(operator.get("/api/v1/me").status())
        .as("the operator's token outlived the run")
        .isEqualTo(200);
  }

  @Test
  void theServedDocumentHoldsForTheOperationsThatEndOnesOwnSession() throws Exception {
    for (String operation : ENDS_OWN_SESSION) {
      fuzzAs(
          ApiClient.signIn(
              plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD),
          operation,
          "--include-operation-id",
          operation);
    }
  }

  @Test
  void theServedDocumentHoldsForAnInstitutionAdmin() throws Exception {
    fuzzAs(admin, "admin", allButSessionEnders());
    assertThat(admin.get("/api/v1/me").status())
        .as("the admin's token outlived the run")
        .isEqualTo(200);
  }
}
