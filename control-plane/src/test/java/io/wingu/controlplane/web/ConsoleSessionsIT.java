package io.wingu.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Console sessions live in PostgreSQL: they outlive a restart and work on every replica. */
class ConsoleSessionsIT {

  @Test
  void aSessionSurvivesARestartAndWorksOnAnotherReplicaUntilSignOut() {
    Map<String, String> env = new HashMap<>(TestControlPlane.env("console_sessions"));
    Map<String, String> secondEnv = new HashMap<>(env);
    secondEnv.put("WINGU_HTTP_PORT", String.valueOf(FreePort.find()));
    ConsoleClient first;
    String session;
    try (ControlPlane one = TestControlPlane.start(env)) {
      first = new ConsoleClient(one.url());
      assertThat(
              first.signIn(TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD).status())
          .isEqualTo(200);
      session = first.cookies().get(SessionGate.COOKIE);
      assertThat(session).isNotBlank();
    }
    // the first replica is gone; a second one on the same database knows the session
    try (ControlPlane two = TestControlPlane.start(secondEnv)) {
      ConsoleClient sameBrowser = new ConsoleClient(two.url());
      sameBrowser.cookies().put(SessionGate.COOKIE, session);
      var home = sameBrowser.get("/?lang=en");
      assertThat(home.response().uri().getPath()).isEqualTo("/");
      assertThat(home.document().select(".who").text()).contains(TestControlPlane.OPERATOR);

      // the first replica comes back (a restart) while the second runs: both serve the session
      try (ControlPlane restarted = TestControlPlane.start(env)) {
        ConsoleClient onRestarted = new ConsoleClient(restarted.url());
        onRestarted.cookies().put(SessionGate.COOKIE, session);
        assertThat(onRestarted.get("/requests").response().uri().getPath()).isEqualTo("/requests");

        // signing out on one replica ends the session on the other
        sameBrowser.submit("form[action=/logout]", Map.of());
        assertThat(onRestarted.get("/requests").response().uri().getPath()).isEqualTo("/login");
      }
    }
  }
}
