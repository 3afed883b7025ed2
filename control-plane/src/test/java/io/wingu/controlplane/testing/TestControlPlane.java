package io.wingu.controlplane.testing;

import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.audit.AuditSigningKey;
import io.wingu.controlplane.auth.SigningKeys;
import io.wingu.controlplane.wiring.ControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment of a control plane on the suite's real PostgreSQL (a database of its own) and
 * real API server, with generated signing keys and a known bootstrap operator.
 */
public final class TestControlPlane {

  public static final String OPERATOR = "operator";
  public static final String OPERATOR_PASSWORD = "operator-password-1";

  private TestControlPlane() {}

  public static Map<String, String> env(String name) {
    return env(name, TestCluster.kubeconfig());
  }

  /** The environment of a control plane on the cluster {@code kubeconfig} names. */
  public static Map<String, String> env(String name, Path kubeconfig) {
    Map<String, String> env = new HashMap<>(TestDatabase.applicationEnv(name));
    Path keys = TempDirs.create("wingu-keys");
    try {
      SigningKeys.generateOnce(keys);
      AuditSigningKey.generateOnce(keys);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("WINGU_JWT_PRIVATE_KEY", SigningKeys.privateKeyFile(keys).toString());
    env.put("WINGU_JWT_PUBLIC_KEY", SigningKeys.publicKeyFile(keys).toString());
    env.put("WINGU_AUDIT_SIGNING_KEY", AuditSigningKey.privateKeyFile(keys).toString());
    env.put("WINGU_AUDIT_PUBLIC_KEY", AuditSigningKey.publicKeyFile(keys).toString());
    env.put("WINGU_AUDIT_CHECKPOINT_DIR", TempDirs.create("wingu-audit-checkpoints").toString());
    env.put("WINGU_HTTP_PORT", String.valueOf(FreePort.find()));
    env.put("WINGU_KUBECONFIG", kubeconfig.toString());
    env.put("WINGU_BOOTSTRAP_OPERATOR", OPERATOR);
    env.put("WINGU_BOOTSTRAP_PASSWORD", OPERATOR_PASSWORD);
    env.put("WINGU_LOG_FORMAT", "text");
    // the suite's tests of sites expect an Ingress; GatewayRoutingIT sets gateway itself
    env.put("WINGU_ROUTING", "ingress");
    return env;
  }

  public static ControlPlane start(Map<String, String> env) {
    return ControlPlane.start(WinguConfig.from(env));
  }
}
