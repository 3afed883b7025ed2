package io.wingu.controlplane.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The desired objects are plain functions of the tenant: checked here without a cluster. */
class TenantModelTest {

  static final Tenant.Site PORTAL =
      new Tenant.Site(
          UUID.randomUUID(),
          "portal",
          List.of("www.moh.go.tz", "moh.go.tz"),
          500,
          512L << 20,
          5L << 30,
          "PROVISIONING",
          new Tenant.Database(1L << 30, 10),
          null);
  static final Tenant.Site DATA =
      new Tenant.Site(
          UUID.randomUUID(),
          "data",
          List.of("data.moh.go.tz"),
          1000,
          2L << 30,
          20L << 30,
          "ACTIVE",
          null,
          null);
  static final Tenant.Site OLD =
      new Tenant.Site(
          UUID.randomUUID(),
          "old",
          List.of("old.moh.go.tz"),
          4000,
          8L << 30,
          100L << 30,
          "DECOMMISSIONING",
          null,
          null);
  static final Tenant MOH =
      new Tenant(UUID.randomUUID(), "moh", List.of("moh.go.tz"), List.of(PORTAL, DATA, OLD));

  @Test
  void theNamespaceIsRestrictedAndLabelled() {
    var ns = Namespaces.desired(MOH);
    assertThat(ns.getMetadata().getName()).isEqualTo("inst-moh");
    assertThat(ns.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "wingu")
        .containsEntry("wingu.io/institution", "moh")
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted")
        .containsEntry("pod-security.kubernetes.io/audit", "restricted")
        .containsEntry("pod-security.kubernetes.io/warn", "restricted");
  }

  @Test
  void theQuotaIsTheSumOfTheLiveSitesPlans() {
    Map<String, Quantity> hard = ResourceQuotas.desired(MOH).getSpec().getHard();
    assertThat(hard)
        .containsEntry("requests.cpu", new Quantity("1500m"))
        .containsEntry("limits.cpu", new Quantity("3"))
        .containsEntry("requests.memory", new Quantity("2560Mi"))
        .containsEntry("requests.storage", new Quantity("25Gi"))
        .containsEntry("pods", new Quantity("8"))
        .containsEntry("services.loadbalancers", new Quantity("0"))
        .containsEntry("services.nodeports", new Quantity("0"));
  }

  @Test
  void networkPoliciesDenyEverythingButFourDoors() {
    var policies =
        NetworkPolicies.desired(
            MOH, new NetworkPolicies.Doors("ingress-nginx", "10.1.2.0/24", 5432, "wingu", 9090));
    assertThat(policies)
        .extracting(p -> p.getMetadata().getName())
        .containsExactly(
            "default-deny",
            "allow-ingress-controller",
            "allow-dns",
            "allow-shared-database",
            "allow-control-plane");
    var deny = policies.get(0).getSpec();
    assertThat(deny.getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(deny.getIngress()).isEmpty();
    assertThat(deny.getEgress()).isEmpty();
    assertThat(
            policies
                .get(1)
                .getSpec()
                .getIngress()
                .get(0)
                .getFrom()
                .get(0)
                .getNamespaceSelector()
                .getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "ingress-nginx");
    assertThat(policies.get(3).getSpec().getEgress().get(0).getTo().get(0).getIpBlock().getCidr())
        .isEqualTo("10.1.2.0/24");
    var controlPlane = policies.get(4).getSpec();
    assertThat(controlPlane.getPolicyTypes()).containsExactly("Egress");
    assertThat(
            controlPlane.getEgress().get(0).getTo().get(0).getNamespaceSelector().getMatchLabels())
        .containsExactly(Map.entry("kubernetes.io/metadata.name", "wingu"));
    assertThat(controlPlane.getEgress().get(0).getPorts().get(0).getPort().getIntVal())
        .isEqualTo(9090);
    assertThat(controlPlane.getEgress()).as("a Service URL adds no address door").hasSize(1);
  }

  @Test
  void aControlPlaneAtAnAddressGetsADoorToThatAddressAndPortOnly() {
    var controlPlane =
        NetworkPolicies.allowControlPlane(
                MOH,
                new NetworkPolicies.Doors(
                    "ingress-nginx",
                    "10.1.2.0/24",
                    5432,
                    "wingu",
                    9090,
                    "http://10.244.0.1:41234",
                    null))
            .getSpec();
    assertThat(controlPlane.getEgress()).hasSize(2);
    assertThat(controlPlane.getEgress().get(1).getTo().get(0).getIpBlock().getCidr())
        .isEqualTo("10.244.0.1/32");
    assertThat(controlPlane.getEgress().get(1).getPorts().get(0).getPort().getIntVal())
        .isEqualTo(41234);
    assertThat(
            NetworkPolicies.allowControlPlane(
                    MOH,
                    new NetworkPolicies.Doors(
                        "ingress-nginx",
                        "10.1.2.0/24",
                        5432,
                        "wingu",
                        9090,
                        "http://wingu.wingu-system.svc:8080",
                        null))
                .getSpec()
                .getEgress())
        .hasSize(1);
  }

  @Test
  void aDnsOnTheNodeGetsItsOwnDoorOnPort53Only() {
    var kubeDnsOnly =
        NetworkPolicies.allowDns(
                MOH, new NetworkPolicies.Doors("ingress-nginx", "10.1.2.0/24", 5432))
            .getSpec()
            .getEgress();
    assertThat(kubeDnsOnly).singleElement().satisfies(e -> assertThat(e.getTo()).hasSize(1));
    var withNodeDns =
        NetworkPolicies.allowDns(
                MOH,
                new NetworkPolicies.Doors(
                    "ingress-nginx", "10.1.2.0/24", 5432, "wingu", 9090, null, "169.254.20.10/32"))
            .getSpec()
            .getEgress()
            .get(0);
    assertThat(withNodeDns.getTo())
        .extracting(p -> p.getIpBlock() == null ? "kube-dns pods" : p.getIpBlock().getCidr())
        .containsExactly("kube-dns pods", "169.254.20.10/32");
    assertThat(withNodeDns.getPorts())
        .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactly("UDP/53", "TCP/53");
  }

  @Test
  void theDefaultServiceAccountMountsNoToken() {
    assertThat(ServiceAccounts.desired(MOH).getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void aSitesPodIsRestrictedAndWithinItsPlan() {
    var d = SiteDeployments.desired(MOH, PORTAL, SiteDeployments.DEFAULT_IMAGE);
    assertThat(d.getSpec().getReplicas()).as("no pod before the first revision").isZero();
    var deployed =
        new Tenant.Site(
            PORTAL.id(),
            "portal",
            PORTAL.hostnames(),
            500,
            512L << 20,
            5L << 30,
            "ACTIVE",
            null,
            "ab".repeat(32));
    assertThat(
            SiteDeployments.desired(MOH, deployed, SiteDeployments.DEFAULT_IMAGE)
                .getSpec()
                .getReplicas())
        .isEqualTo(1);
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    // the site image's user (scripts/site-image.sh), high enough to share no UID with a host
    // account
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10101L);
    assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(10101L);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(10101L);
    assertThat(pod.getContainers().get(0).getImage()).isEqualTo("wingu/site-web:local");
    var c = pod.getContainers().get(0);
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getResources().getLimits())
        .containsEntry("cpu", new Quantity("500m"))
        .containsEntry("memory", new Quantity("512Mi"));
    assertThat(c.getResources().getRequests()).containsEntry("cpu", new Quantity("250m"));
    // the unpacked bundle and nginx's temporary files: at most the plan's storage, a small request
    assertThat(c.getResources().getLimits())
        .containsEntry("ephemeral-storage", new Quantity("5Gi"));
    assertThat(c.getResources().getRequests())
        .containsEntry("ephemeral-storage", new Quantity("64Mi"));
    // only a dead or hung nginx is restarted, whatever the site's pages answer
    assertThat(c.getLivenessProbe().getTcpSocket().getPort().getStrVal()).isEqualTo("http");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/");
    var suspended =
        new Tenant.Site(
            PORTAL.id(),
            "portal",
            PORTAL.hostnames(),
            500,
            512L << 20,
            5L << 30,
            "SUSPENDED",
            null,
            null);
    assertThat(SiteDeployments.desired(MOH, suspended, "img").getSpec().getReplicas()).isZero();
  }

  @Test
  void aSiteWithoutARevisionHasNoFetchStep() {
    var pod =
        SiteDeployments.desired(MOH, PORTAL, "img", BundleFetch.DEFAULT)
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getInitContainers()).isEmpty();
    assertThat(pod.getVolumes()).extracting(v -> v.getName()).doesNotContain("bundle-token");
  }

  @Test
  void aSiteWithARevisionFetchesItsBundleFirstWithItsToken() {
    String digest = "ab".repeat(32);
    var deployed =
        new Tenant.Site(
            PORTAL.id(),
            "portal",
            PORTAL.hostnames(),
            500,
            512L << 20,
            5L << 30,
            "ACTIVE",
            null,
            digest);
    var fetch =
        new BundleFetch(
            "registry.go.tz/wingu/control-plane:1.2.3", "http://wingu.wingu-system.svc:8080/");
    var pod =
        SiteDeployments.desired(MOH, deployed, "img", fetch).getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers())
        .singleElement()
        .satisfies(
            init -> {
              assertThat(init.getName()).isEqualTo("fetch-bundle");
              assertThat(init.getImage()).isEqualTo("registry.go.tz/wingu/control-plane:1.2.3");
              assertThat(init.getCommand())
                  .containsExactly(
                      "java", "-cp", "@/app/jib-classpath-file", "io.wingu.templates.FetchBundle");
              assertThat(init.getArgs())
                  .containsExactly(
                      "http://wingu.wingu-system.svc:8080/api/v1/bundles/" + digest,
                      "/var/run/wingu/token",
                      "/usr/share/nginx/html");
              assertThat(init.getSecurityContext())
                  .isEqualTo(pod.getContainers().get(0).getSecurityContext());
              assertThat(init.getResources()).isEqualTo(pod.getContainers().get(0).getResources());
              assertThat(init.getVolumeMounts())
                  .anySatisfy(
                      m -> {
                        assertThat(m.getName()).isEqualTo("bundle-token");
                        assertThat(m.getReadOnly()).isTrue();
                      })
                  .anySatisfy(
                      m -> {
                        assertThat(m.getName()).isEqualTo("html");
                        assertThat(m.getMountPath()).isEqualTo("/usr/share/nginx/html");
                      });
            });
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("bundle-token"))
        .singleElement()
        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("bundle-token-portal"));
    // a rollback changes only the digest, which changes the pod template and so rolls the pods
    var other =
        new Tenant.Site(
            PORTAL.id(),
            "portal",
            PORTAL.hostnames(),
            500,
            512L << 20,
            5L << 30,
            "ACTIVE",
            null,
            "cd".repeat(32));
    assertThat(SiteDeployments.desired(MOH, other, "img", fetch).getSpec().getTemplate())
        .isNotEqualTo(SiteDeployments.desired(MOH, deployed, "img", fetch).getSpec().getTemplate());
  }

  @Test
  void aSitesWebServerRunsWingusServerBlockWithDocumentsAsDownloads() {
    var config = SiteWebConfigs.desired(MOH, PORTAL);
    assertThat(config.getMetadata().getName()).isEqualTo("portal-web");
    assertThat(config.getMetadata().getNamespace()).isEqualTo("inst-moh");
    assertThat(config.getMetadata().getLabels()).isEqualTo(Labels.site(MOH, PORTAL));
    String conf = config.getData().get("default.conf");
    assertThat(config.getData()).containsOnlyKeys("default.conf");
    assertThat(conf)
        .contains(
            "listen " + SiteDeployments.PORT + ";",
            "root /usr/share/nginx/html;",
            "index index.html;",
            "server_tokens off;",
            "add_header X-Content-Type-Options \"nosniff\" always;",
            "add_header Referrer-Policy ",
            "location /documents/ {");
    String documents = conf.substring(conf.indexOf("location /documents/ {"));
    // add_header in a location drops the server's: the documents block repeats them
    assertThat(documents)
        .contains(
            "add_header Content-Disposition \"attachment\" always;",
            "add_header X-Content-Type-Options \"nosniff\" always;",
            "add_header Content-Security-Policy \"sandbox; default-src 'none'\" always;",
            "add_header Referrer-Policy ");

    var pod = SiteDeployments.desired(MOH, PORTAL, "img").getSpec().getTemplate();
    assertThat(pod.getSpec().getVolumes())
        .filteredOn(v -> v.getName().equals("web-config"))
        .singleElement()
        .satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("portal-web"));
    assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts())
        .filteredOn(m -> m.getName().equals("web-config"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/etc/nginx/conf.d");
              assertThat(m.getReadOnly()).isTrue();
            });
    // nginx reads its configuration at start only: a changed one must change the template to roll
    // the pods
    assertThat(pod.getMetadata().getAnnotations())
        .containsEntry("wingu.io/web-config-sha256", SiteWebConfigs.checksum());
    assertThat(SiteWebConfigs.checksum()).isEqualTo(BundleTokens.hash(conf)); // SHA-256 of the text
    assertThat(pod.getSpec().getContainers().get(0).getReadinessProbe().getHttpGet().getPath())
        .isEqualTo("/");
  }

  @Test
  void theBundleTokenSecretHoldsTheTokenAndOnlyItsHashIsKept() {
    String token = BundleTokens.newToken(new java.security.SecureRandom());
    assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
    var secret = BundleTokens.desired(MOH, PORTAL, token);
    assertThat(secret.getMetadata().getName()).isEqualTo("bundle-token-portal");
    assertThat(secret.getMetadata().getNamespace()).isEqualTo("inst-moh");
    assertThat(secret.getStringData()).containsExactly(Map.entry("token", token));
    assertThat(BundleTokens.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    var read =
        new io.fabric8.kubernetes.api.model.SecretBuilder()
            .addToData(
                "token", java.util.Base64.getEncoder().encodeToString((token + "\n").getBytes()))
            .build();
    assertThat(BundleTokens.tokenIn(read)).isEqualTo(token);
    assertThat(BundleTokens.tokenIn(new io.fabric8.kubernetes.api.model.SecretBuilder().build()))
        .isNull();
    assertThat(BundleTokens.tokenIn(null)).isNull();
  }

  @Test
  void theIngressCarriesOnlyHostnamesInsideTheInstitutionsDomains() {
    var sneaky =
        new Tenant.Site(
            UUID.randomUUID(),
            "sneaky",
            List.of("www.moh.go.tz", "www.tra.go.tz", "evilmoh.go.tz"),
            500,
            1L << 29,
            1L << 30,
            "ACTIVE",
            null,
            null);
    var ingress =
        SiteIngresses.desired(MOH, sneaky, new SiteIngresses.Edge("nginx", "letsencrypt"));
    assertThat(ingress.getSpec().getRules())
        .extracting(r -> r.getHost())
        .containsExactly("www.moh.go.tz");
    assertThat(ingress.getSpec().getTls().get(0).getHosts()).containsExactly("www.moh.go.tz");
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/cluster-issuer", "letsencrypt");
  }

  @Test
  void aHostnameUnderAMoreSpecificDomainOfAnotherInstitutionIsLeftOut() {
    // legacy data: MOH also holds go.tz, another institution holds tra.go.tz inside it
    var tra = new io.wingu.controlplane.institutions.Delegation("tra.go.tz", UUID.randomUUID());
    var site =
        new Tenant.Site(
            UUID.randomUUID(),
            "wide",
            List.of("www.go.tz", "WWW.TRA.go.tz.", "www.moh.go.tz"),
            500,
            512L << 20,
            5L << 30,
            "ACTIVE",
            null,
            null);
    var t =
        new Tenant(
            MOH.institutionId(),
            "moh",
            List.of("go.tz", "moh.go.tz"),
            List.of(site),
            List.of(
                new io.wingu.controlplane.institutions.Delegation("go.tz", MOH.institutionId()),
                new io.wingu.controlplane.institutions.Delegation("moh.go.tz", MOH.institutionId()),
                tra));
    assertThat(SiteIngresses.allowedHostnames(t, site))
        .containsExactly("www.go.tz", "www.moh.go.tz");
    assertThat(SiteIngresses.refusedHostnames(t, site)).containsExactly("WWW.TRA.go.tz.");
  }

  @Test
  void theDatabaseSecretHasTheKeysApplicationsExpect() {
    var secret =
        DatabaseSecrets.desired(
            MOH,
            PORTAL,
            new DatabaseSecrets.Credentials(
                "db.wingu", 5432, "t_moh__portal", "t_moh__portal", "p@ss/word"));
    assertThat(secret.getMetadata().getName()).isEqualTo("db-portal");
    assertThat(secret.getStringData())
        .containsEntry("jdbc-url", "jdbc:postgresql://db.wingu:5432/t_moh__portal")
        .containsEntry(
            "uri", "postgresql://t_moh__portal:p%40ss%2Fword@db.wingu:5432/t_moh__portal")
        .containsKeys("host", "port", "database", "username", "password");
  }

  @Test
  void databaseNamesNeverCollideAndFitPostgresql() {
    var tra = new Tenant(UUID.randomUUID(), "tra", List.of("tra.go.tz"), List.of());
    assertThat(TenantDatabases.identifier(MOH, PORTAL)).isEqualTo("t_moh__portal");
    assertThat(TenantDatabases.identifier(tra, PORTAL)).isEqualTo("t_tra__portal");
    var longInst =
        new Tenant(UUID.randomUUID(), "a-very-long-code-xx", List.of("x.go.tz"), List.of());
    var longSite =
        new Tenant.Site(
            UUID.randomUUID(), "s".repeat(40), List.of(), 1, 1, 1, "ACTIVE", null, null);
    var longSite2 =
        new Tenant.Site(
            UUID.randomUUID(), "s".repeat(39) + "t", List.of(), 1, 1, 1, "ACTIVE", null, null);
    String a = TenantDatabases.identifier(longInst, longSite);
    String b = TenantDatabases.identifier(longInst, longSite2);
    assertThat(a.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(63);
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void theSecretsRoleBindingNamesTheControllersAccount() {
    var rb = TenantSecretsAccess.desired(MOH, "wingu-system:wingu-controller");
    assertThat(rb.getRoleRef().getName()).isEqualTo("wingu-tenant-secrets");
    assertThat(rb.getSubjects().get(0).getNamespace()).isEqualTo("wingu-system");
    assertThat(rb.getMetadata().getNamespace()).isEqualTo("inst-moh");
    assertThat(Optional.of(rb.getSubjects().get(0).getName())).contains("wingu-controller");
  }

  @Test
  void retriesBackOffExponentiallyWithJitterAndACap() {
    assertThat(ReconcileQueue.backoff(1).toMillis()).isBetween(1600L, 2400L);
    assertThat(ReconcileQueue.backoff(3).toMillis()).isBetween(3600L, 5400L);
    assertThat(ReconcileQueue.backoff(100).toMillis()).isBetween(240_000L, 360_000L);
  }
}
