package io.wingu.controlplane.bench;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.wingu.controlplane.auth.SigningKeys;
import io.wingu.controlplane.provisioning.Provisioner;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.dev.LocalKubernetes;
import io.wingu.dev.LocalPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment a benchmark's control plane runs with: a database owned by a migration role and
 * used by an application role (as in production), signing keys, a free port and a known operator
 * password ({@link #OPERATOR_PASSWORD}).
 */
final class BenchSetup {

  static final String OPERATOR_PASSWORD = "bench-operator-password";

  private BenchSetup() {}

  static Map<String, String> environment(LocalPostgres pg, Path kubeconfig, Path dir)
      throws IOException, SQLException {
    pg.ensureRole("wingu_owner", "owner-password");
    pg.ensureRole("wingu_app", "app-password");
    pg.ensureDatabase("wingu", "wingu_owner");
    SigningKeys.generateOnce(dir);
    io.wingu.controlplane.audit.AuditSigningKey.generateOnce(dir);
    Map<String, String> env = new HashMap<>();
    env.put("WINGU_DB_URL", pg.jdbcUrl("wingu"));
    env.put("WINGU_DB_USER", "wingu_app");
    env.put("WINGU_DB_PASSWORD", "app-password");
    env.put("WINGU_DB_MIGRATION_USER", "wingu_owner");
    env.put("WINGU_DB_MIGRATION_PASSWORD", "owner-password");
    env.put("WINGU_KUBECONFIG", kubeconfig.toString());
    env.put("WINGU_JWT_PRIVATE_KEY", SigningKeys.privateKeyFile(dir).toString());
    env.put("WINGU_JWT_PUBLIC_KEY", SigningKeys.publicKeyFile(dir).toString());
    env.put(
        "WINGU_AUDIT_SIGNING_KEY",
        io.wingu.controlplane.audit.AuditSigningKey.privateKeyFile(dir).toString());
    env.put(
        "WINGU_AUDIT_PUBLIC_KEY",
        io.wingu.controlplane.audit.AuditSigningKey.publicKeyFile(dir).toString());
    env.put("WINGU_AUDIT_CHECKPOINT_DIR", dir.resolve("audit-checkpoints").toString());
    env.put("WINGU_HTTP_PORT", String.valueOf(FreePort.find()));
    env.put("WINGU_BOOTSTRAP_PASSWORD", OPERATOR_PASSWORD);
    env.put("WINGU_LOG_LEVEL", "WARN");
    return env;
  }

  /** Another replica holds the reconciler's Lease for the whole run. */
  static void holdReconcilerLease(LocalKubernetes kube) {
    try (KubernetesClient admin =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(kube.kubeconfigYaml()))
            .build()) {
      admin
          .leases()
          .inNamespace("default")
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName(Provisioner.LEASE_NAME)
                  .withNamespace("default")
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity("another-replica")
                  .withLeaseDurationSeconds(3600)
                  .withAcquireTime(ZonedDateTime.now())
                  .withRenewTime(ZonedDateTime.now())
                  .endSpec()
                  .build())
          .create();
    }
  }
}
