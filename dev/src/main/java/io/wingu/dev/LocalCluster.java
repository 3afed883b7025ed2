package io.wingu.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A complete one-node Kubernetes cluster on this machine: etcd, kube-apiserver (service-account
 * keys, Node and RBAC authorization, the usual admission plugins plus NodeRestriction),
 * kube-controller-manager, kube-scheduler, containerd and one kubelet whose pods sit on the
 * project's own bridge {@value #BRIDGE} ({@value #POD_SUBNET}, no route or masquerading out).
 *
 * <p>Needs root on Linux, the binaries of scripts/kube-binaries.sh and the packages of
 * scripts/install-node-packages.sh. containerd's shims, /var/lib/kubelet and the kubepods cgroups
 * are per machine, so a file lock lets one cluster run at a time; {@link #close()} (also run by a
 * shutdown hook, and by the next start after a killed run) stops everything, removes containers,
 * mounts and state, and puts the machine's settings back as {@link HostState} found them.
 */
public final class LocalCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final String NODE_NAME = "wingu-node";
  public static final String BRIDGE = "wingu0";
  public static final String NODE_IP = "10.244.0.1";
  public static final String POD_SUBNET = "10.244.0.0/24";
  static final String SERVICE_SUBNET = "10.96.0.0/24";
  public static final String CLUSTER_DOMAIN = "cluster.local";
  public static final String PAUSE_IMAGE = "wingu.local/pause:" + LocalKubernetes.VERSION;

  /** The NetworkPolicy enforcer scripts/netpol-binaries.sh builds; keep the versions in step. */
  static final String KUBE_ROUTER_VERSION = "2.1.0";

  private static final String CONTAINERD_NAMESPACE = "k8s.io";

  /** Fixed so a later start finds what a killed run left behind. */
  private static final Path HOME =
      Path.of(System.getProperty("wingu.cluster.dir", "/var/tmp/wingu-cluster"));

  private final Path run = HOME.resolve("run");
  private final Path binaries = LocalKubernetes.binaryFolder();
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final HostState before;
  private final Thread shutdownHook = new Thread(this::close, "wingu-cluster-stop");
  private final String adminToken = token();
  private Path adminKubeconfig;
  private KubernetesClient client;
  private boolean closed;

  private LocalCluster(FileChannel lockChannel, FileLock lock, HostState before) {
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.before = before;
  }

  /**
   * Whether this machine can run a node: root on Linux with cgroups, and the programs installed.
   */
  public static String whyNotRunnable() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return "not Linux";
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      return "not root";
    }
    if (!Files.isDirectory(Path.of("/sys/fs/cgroup"))) {
      return "no cgroups";
    }
    for (String p :
        List.of(
            "/usr/bin/containerd",
            "/usr/bin/ctr",
            "/usr/lib/cni/bridge",
            "/usr/lib/cni/host-local",
            "/usr/sbin/ipset")) {
      if (!Files.isExecutable(Path.of(p))) {
        return p + " is missing: run scripts/install-node-packages.sh";
      }
    }
    for (String b :
        List.of(
            "etcd",
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
            "kubelet",
            "kube-proxy",
            "coredns",
            "pause")) {
      if (!Files.isExecutable(LocalKubernetes.binaryFolder().resolve(b))) {
        return b
            + " is missing in "
            + LocalKubernetes.binaryFolder()
            + ": run scripts/kube-binaries.sh";
      }
    }
    if (!Files.isExecutable(kubeRouter())) {
      return kubeRouter() + " is missing: run scripts/netpol-binaries.sh";
    }
    return null;
  }

  /**
   * kube-router, run with its network-policy controller only: what enforces the tenants'
   * NetworkPolicies on this node (iptables filter chains and ipsets, which HostState restores).
   */
  static Path kubeRouter() {
    Path dir =
        Path.of(
            System.getProperty(
                "wingu.netpol.dir", System.getProperty("user.home") + "/.cache/wingu/netpol"));
    return dir.resolve("kube-router-v" + KUBE_ROUTER_VERSION);
  }

  /**
   * Runs the cluster until this process is stopped (Ctrl-C, SIGTERM): the shutdown hook stops it
   * and restores the machine.
   */
  public static void main(String[] args) throws Exception {
    LocalCluster cluster = start();
    LOG.info("admin kubeconfig: {}", cluster.adminKubeconfig());
    new java.util.concurrent.CountDownLatch(1).await();
  }

  /**
   * The machine as it is with no cluster running: waits while another process runs one (the lock is
   * held only while the snapshot is taken), so a test's "before" never includes someone else's
   * node. A killed run leaves its node behind until the next start cleans up; then the machine as
   * that run found it (what the cleanup restores) is the answer, and its leftovers stay untouched.
   */
  @SuppressWarnings("try") // the lock is held by the try, not used in it
  public static HostState idleHostState() throws IOException {
    Files.createDirectories(HOME);
    try (FileChannel channel =
            FileChannel.open(
                HOME.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = channel.lock()) {
      Path saved = HOME.resolve("host-before.json");
      return Files.exists(saved) ? readState(saved) : HostState.capture();
    }
  }

  /**
   * Starts the cluster and returns once its node is Ready; waits while another process runs one.
   * One JVM runs at most one: its tests share it.
   */
  public static LocalCluster start() throws IOException {
    String why = whyNotRunnable();
    if (why != null) {
      throw new IllegalStateException("this machine cannot run a Kubernetes node: " + why);
    }
    Files.createDirectories(HOME);
    FileChannel channel =
        FileChannel.open(HOME.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      channel.close();
      throw new IllegalStateException(
          "this JVM already runs the one-node cluster; share that one", e);
    }
    if (lock == null) {
      LOG.info("another process runs the one-node cluster on this machine; waiting for it to stop");
      lock = channel.lock();
    }
    Path saved = HOME.resolve("host-before.json");
    if (Files.exists(saved)) {
      LOG.warn("a previous cluster run did not stop cleanly; cleaning up after it first");
      cleanUpAfter(HOME.resolve("run"), readState(saved));
    }
    HostState before = HostState.capture();
    Files.write(saved, JSON.writeValueAsBytes(before));
    LocalCluster cluster = new LocalCluster(channel, lock, before);
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    try {
      cluster.startAll();
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void startAll() throws IOException {
    Instant t0 = Instant.now();
    HostState.deleteTree(run);
    Files.createDirectories(run);
    createBridge();
    writeKeys();

    int etcdClient = freePort();
    int etcdPeer = freePort();
    spawn(
        "etcd",
        List.of(
            bin("etcd"),
            "--name",
            "wingu",
            "--data-dir",
            run.resolve("etcd").toString(),
            "--listen-client-urls",
            "http://127.0.0.1:" + etcdClient,
            "--advertise-client-urls",
            "http://127.0.0.1:" + etcdClient,
            "--listen-peer-urls",
            "http://127.0.0.1:" + etcdPeer,
            "--initial-advertise-peer-urls",
            "http://127.0.0.1:" + etcdPeer,
            "--initial-cluster",
            "wingu=http://127.0.0.1:" + etcdPeer,
            "--unsafe-no-fsync",
            "--log-level",
            "warn"));

    int apiPort = freePort();
    Path certDir = run.resolve("apiserver");
    spawn(
        "kube-apiserver",
        List.of(
            bin("kube-apiserver"),
            "--etcd-servers",
            "http://127.0.0.1:" + etcdClient,
            // the node IP, where pods reach it too (Service "kubernetes", through kube-proxy); its
            // self-signed certificate names this address (and the Service's), not 127.0.0.1
            "--bind-address",
            NODE_IP,
            "--secure-port",
            String.valueOf(apiPort),
            "--advertise-address",
            NODE_IP,
            "--cert-dir",
            certDir.toString(),
            "--token-auth-file",
            run.resolve("tokens.csv").toString(),
            "--authorization-mode",
            "Node,RBAC",
            "--enable-admission-plugins",
            "NodeRestriction",
            "--service-account-issuer",
            "https://kubernetes.default.svc",
            "--service-account-key-file",
            run.resolve("sa.pub").toString(),
            "--service-account-signing-key-file",
            run.resolve("sa.key").toString(),
            "--service-cluster-ip-range",
            SERVICE_SUBNET,
            "--kubelet-preferred-address-types",
            "InternalIP",
            "--kubelet-certificate-authority",
            run.resolve("kubelet-ca.crt").toString(),
            "--kubelet-client-certificate",
            run.resolve("apiserver-kubelet-client.crt").toString(),
            "--kubelet-client-key",
            run.resolve("apiserver-kubelet-client.key").toString(),
            "--allow-privileged=false",
            "--profiling=false"));
    Path ca = certDir.resolve("apiserver.crt");
    String server = "https://" + NODE_IP + ":" + apiPort;
    awaitApiServer(server, ca);

    adminKubeconfig = writeKubeconfig("admin", server, ca, adminToken);
    spawn(
        "kube-controller-manager",
        List.of(
            bin("kube-controller-manager"),
            "--kubeconfig",
            writeKubeconfig("controller-manager", server, ca, tokenOf("controller-manager"))
                .toString(),
            "--service-account-private-key-file",
            run.resolve("sa.key").toString(),
            "--root-ca-file",
            ca.toString(),
            "--use-service-account-credentials=true",
            "--leader-elect=false",
            "--secure-port=0",
            "--profiling=false"));
    spawn(
        "kube-scheduler",
        List.of(
            bin("kube-scheduler"),
            "--kubeconfig",
            writeKubeconfig("scheduler", server, ca, tokenOf("scheduler")).toString(),
            "--leader-elect=false",
            "--secure-port=0",
            "--profiling=false"));

    startContainerd();
    importImage(
        ImageArchive.write(
            run.resolve("pause.tar"),
            PAUSE_IMAGE,
            bin("pause").transform(Path::of),
            "65535:65535"));
    writeCniConfig();
    startKubelet(writeKubeconfig("kubelet", server, ca, tokenOf("kubelet")));

    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(adminKubeconfig)))
            .build();
    try {
      client
          .nodes()
          .withName(NODE_NAME)
          .waitUntilCondition(LocalCluster::ready, 3, TimeUnit.MINUTES);
    } catch (KubernetesClientException e) {
      requireAlive();
      throw new IOException(
          "node "
              + NODE_NAME
              + " was not Ready within 3 minutes: "
              + e.getMessage()
              + "; kubelet said:\n"
              + tail(run.resolve("kubelet.log")),
          e);
    }
    startKubeProxy(server, ca);
    startCoreDns();
    startNetworkPolicies(server, ca);
    LOG.info(
        "one-node cluster ready in {} ms (API server {}, node {} at {})",
        Duration.between(t0, Instant.now()).toMillis(),
        server,
        NODE_NAME,
        NODE_IP);
  }

  private static boolean ready(Node node) {
    return node != null
        && node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The project's bridge carries the node IP: kubelet needs a non-loopback address it owns. */
  private void createBridge() throws IOException {
    must(List.of("ip", "link", "add", BRIDGE, "type", "bridge"));
    must(List.of("ip", "addr", "add", NODE_IP + "/24", "dev", BRIDGE));
    must(List.of("ip", "link", "set", BRIDGE, "up"));
  }

  // ---- credentials: static tokens per component, a service-account key pair ----------------

  private final java.util.Map<String, String> tokens = new java.util.HashMap<>();

  private String tokenOf(String component) {
    return tokens.computeIfAbsent(component, c -> token());
  }

  private void writeKeys() throws IOException {
    // token,user,uid,"groups": the users RBAC's bootstrap roles and the Node authorizer know
    String csv =
        String.join(
                "\n",
                adminToken + ",wingu-admin,wingu-admin,\"system:masters\"",
                tokenOf("controller-manager")
                    + ",system:kube-controller-manager,system:kube-controller-manager",
                tokenOf("scheduler") + ",system:kube-scheduler,system:kube-scheduler",
                tokenOf("kube-router") + "," + KUBE_ROUTER_USER + "," + KUBE_ROUTER_USER,
                tokenOf("kubelet")
                    + ",system:node:"
                    + NODE_NAME
                    + ",system:node:"
                    + NODE_NAME
                    + ",\"system:nodes\"",
                // bound to system:node-proxier by RBAC's bootstrap policy
                tokenOf("kube-proxy") + ",system:kube-proxy,system:kube-proxy")
            + "\n";
    ClusterCertificates.write(run.resolve("tokens.csv"), csv);
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      KeyPair kp = g.generateKeyPair();
      ClusterCertificates.write(
          run.resolve("sa.key"),
          ClusterCertificates.pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
      ClusterCertificates.write(
          run.resolve("sa.pub"),
          ClusterCertificates.pem("PUBLIC KEY", kp.getPublic().getEncoded()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    // the API server calls the kubelet (logs, exec, node proxy) over TLS verified both ways
    ClusterCertificates certs = ClusterCertificates.create();
    certs.writeAuthority(run.resolve("kubelet-ca.crt"));
    certs.writeServer(run.resolve("kubelet-serving"), NODE_NAME, NODE_IP);
    // system:masters: the kubelet asks the API server (SubjectAccessReview) what this user may do
    certs.writeClient(
        run.resolve("apiserver-kubelet-client"), "kube-apiserver-kubelet-client", "system:masters");
  }

  private Path writeKubeconfig(String name, String server, Path ca, String token)
      throws IOException {
    Path file = run.resolve(name + ".kubeconfig");
    ClusterCertificates.write(
        file,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: wingu",
            "  cluster:",
            "    server: " + server,
            "    certificate-authority: " + ca,
            "users:",
            "- name: " + name,
            "  user:",
            "    token: " + token,
            "contexts:",
            "- name: wingu",
            "  context: {cluster: wingu, user: " + name + "}",
            "current-context: wingu",
            ""));
    return file;
  }

  /**
   * Process start has no event to wait on: ask /readyz until it answers 200, trusting only the
   * certificate the API server wrote for itself.
   */
  private void awaitApiServer(String server, Path ca) throws IOException {
    Instant deadline = Instant.now().plusSeconds(120);
    String last = "not started";
    while (Instant.now().isBefore(deadline)) {
      requireAlive();
      if (Files.exists(ca)) {
        try {
          HttpClient http =
              HttpClient.newBuilder()
                  .sslContext(trusting(ca))
                  .connectTimeout(Duration.ofSeconds(2))
                  .build();
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(server + "/readyz"))
                      .header("Authorization", "Bearer " + adminToken)
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return;
          }
          last = r.statusCode() + " " + r.body();
        } catch (IOException | RuntimeException e) {
          last = e.toString();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the API server", e);
        }
      }
      pause(200);
    }
    throw new IOException(
        "kube-apiserver was not ready within 120 s: "
            + last
            + " (see "
            + run.resolve("kube-apiserver.log")
            + ")");
  }

  private static SSLContext trusting(Path caFile) throws IOException {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot read " + caFile + ": " + e.getMessage(), e);
    }
  }

  // ---- containerd and the node --------------------------------------------------------------

  private Path containerdSocket() {
    return run.resolve("containerd").resolve("containerd.sock");
  }

  private void startContainerd() throws IOException {
    Path dir = run.resolve("containerd");
    Files.createDirectories(dir);
    String p = "plugins.\"io.containerd.grpc.v1.cri\"";
    Files.writeString(
        dir.resolve("config.toml"),
        String.join(
            "\n",
            "version = 2",
            "root = \"" + dir.resolve("root") + "\"",
            "state = \"" + dir.resolve("state") + "\"",
            "disabled_plugins = [\"io.containerd.snapshotter.v1.btrfs\", \"io.containerd.snapshotter.v1.zfs\","
                + " \"io.containerd.snapshotter.v1.aufs\", \"io.containerd.snapshotter.v1.devmapper\","
                + " \"io.containerd.tracing.processor.v1.otlp\", \"io.containerd.internal.v1.tracing\"]",
            "[grpc]",
            "  address = \"" + containerdSocket() + "\"",
            "[ttrpc]",
            "  address = \"" + containerdSocket() + ".ttrpc\"",
            "[plugins.\"io.containerd.internal.v1.opt\"]",
            "  path = \"" + dir.resolve("opt") + "\"",
            "[" + p + "]",
            "  sandbox_image = \"" + PAUSE_IMAGE + "\"",
            // without it every sandbox fails with \"can't get final child's PID from pipe\" here
            // (no CAP_SYS_RESOURCE)
            "  restrict_oom_score_adj = true",
            "  [" + p + ".containerd]",
            "    snapshotter = \"overlayfs\"",
            "    default_runtime_name = \"runc\"",
            "    [" + p + ".containerd.runtimes.runc]",
            "      runtime_type = \"io.containerd.runc.v2\"",
            "      [" + p + ".containerd.runtimes.runc.options]",
            "        SystemdCgroup = false",
            "  [" + p + ".cni]",
            "    bin_dir = \"/usr/lib/cni\"",
            "    conf_dir = \"" + run.resolve("cni") + "\"",
            ""));
    spawn(
        "containerd",
        List.of(
            "/usr/bin/containerd",
            "--config",
            dir.resolve("config.toml").toString(),
            "--log-level",
            "warn"));
    Instant deadline = Instant.now().plusSeconds(60);
    while (!ctr(List.of("version")).ok()) {
      requireAlive();
      if (Instant.now().isAfter(deadline)) {
        throw new IOException(
            "containerd did not answer within 60 s (see " + run.resolve("containerd.log") + ")");
      }
      pause(100);
    }
  }

  /**
   * Imports a docker-archive or OCI tar into the node's image store, for pods with imagePullPolicy
   * Never.
   */
  public void importImage(Path archive) throws IOException {
    Processes.Result r = ctr(List.of("images", "import", archive.toString()));
    if (!r.ok()) {
      throw new IOException("ctr images import " + archive + " failed: " + r.output());
    }
  }

  /**
   * Imports an archive holding one image and names it {@code reference} as a pod spec writes it
   * (normalised: {@code wingu-control-plane:0.1.0} is {@code
   * docker.io/library/wingu-control-plane:0.1.0}), whatever the archive calls it: Jib's OCI tars
   * keep their name unnormalised, which the kubelet never asks for.
   */
  public void importImage(Path archive, String reference) throws IOException {
    Processes.Result r = ctr(List.of("images", "import", archive.toString()));
    if (!r.ok()) {
      throw new IOException("ctr images import " + archive + " failed: " + r.output());
    }
    List<String> imported =
        r.output()
            .lines()
            .filter(l -> l.startsWith("unpacking "))
            .map(l -> l.substring("unpacking ".length()).split(" ")[0])
            .toList();
    if (imported.size() != 1) {
      throw new IOException(
          archive + " holds " + imported.size() + " images, not one: " + r.output());
    }
    String normalised = normalise(reference);
    if (!imported.get(0).equals(normalised)) {
      Processes.Result tagged =
          ctr(List.of("images", "tag", "--force", imported.get(0), normalised));
      if (!tagged.ok()) {
        throw new IOException(
            "ctr images tag " + imported.get(0) + " " + normalised + " failed: " + tagged.output());
      }
    }
  }

  /**
   * An image reference as the kubelet resolves it: registry docker.io and its library/ by default.
   */
  static String normalise(String reference) {
    int slash = reference.indexOf('/');
    String first = slash < 0 ? "" : reference.substring(0, slash);
    boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost");
    if (hasRegistry) {
      return reference;
    }
    return "docker.io/" + (slash < 0 ? "library/" : "") + reference;
  }

  /**
   * The references of the node's images as the kubelet looks them up: normalised, so {@code
   * wingu/site-web:local} is {@code docker.io/wingu/site-web:local}.
   */
  public List<String> images() throws IOException {
    Processes.Result r = ctr(List.of("images", "ls", "-q"));
    if (!r.ok()) {
      throw new IOException("ctr images ls failed: " + r.output());
    }
    return r.output().lines().filter(l -> !l.isBlank()).toList();
  }

  private Processes.Result ctr(List<String> args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "/usr/bin/ctr",
                "--address",
                containerdSocket().toString(),
                "-n",
                CONTAINERD_NAMESPACE));
    cmd.addAll(args);
    return Processes.run(cmd);
  }

  /** Pods on the project's bridge, addresses from host-local; no default route, no masquerading. */
  private void writeCniConfig() throws IOException {
    Path dir = run.resolve("cni");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("10-wingu.conflist"),
        """
        {"cniVersion": "1.0.0", "name": "wingu", "plugins": [{
          "type": "bridge", "bridge": "%s", "isGateway": true, "isDefaultGateway": false,
          "ipMasq": false, "hairpinMode": true,
          "ipam": {"type": "host-local", "dataDir": "%s",
                   "ranges": [[{"subnet": "%s", "rangeStart": "10.244.0.10", "gateway": "%s"}]],
                   "routes": [{"dst": "%s"}]}
        }]}
        """
            .formatted(BRIDGE, dir.resolve("ipam"), POD_SUBNET, NODE_IP, SERVICE_SUBNET));
  }

  private void startKubelet(Path kubeconfig) throws IOException {
    Path config = run.resolve("kubelet.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "apiVersion: kubelet.config.k8s.io/v1beta1",
            "kind: KubeletConfiguration",
            "address: " + NODE_IP,
            "port: " + freePort(),
            "readOnlyPort: 0",
            "healthzPort: 0",
            "failCgroupV1: false",
            "failSwapOn: false",
            "cgroupDriver: cgroupfs",
            // true would add a rule dropping non-loopback traffic to 127.0.0.0/8
            "makeIPTablesUtilChains: false",
            "containerRuntimeEndpoint: unix://" + containerdSocket(),
            "podLogsDir: " + run.resolve("pod-logs"),
            "resolvConf: \"\"",
            // CoreDNS on the node's address (startCoreDns)
            "clusterDNS: [" + NODE_IP + "]",
            "clusterDomain: " + CLUSTER_DOMAIN,
            "tlsCertFile: " + run.resolve("kubelet-serving.crt"),
            "tlsPrivateKeyFile: " + run.resolve("kubelet-serving.key"),
            "authentication: {anonymous: {enabled: false}, webhook: {enabled: true}, x509: {clientCAFile: "
                + run.resolve("kubelet-ca.crt")
                + "}}",
            "authorization: {mode: Webhook}",
            "evictionHard: {memory.available: 50Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}",
            "imageGCHighThresholdPercent: 100",
            "imageGCLowThresholdPercent: 99",
            "serializeImagePulls: false",
            "registerNode: true",
            ""));
    spawn(
        "kubelet",
        List.of(
            bin("kubelet"),
            "--config",
            config.toString(),
            "--kubeconfig",
            kubeconfig.toString(),
            "--hostname-override",
            NODE_NAME,
            "--node-ip",
            NODE_IP,
            "--cert-dir",
            run.resolve("kubelet-pki").toString(),
            "-v",
            "1"));
  }

  /**
   * kube-proxy in iptables mode makes ClusterIP Services work: pods reach them through the route
   * the CNI config gives them to the Service subnet. It changes no kernel setting (no conntrack
   * sizing, no localhost node ports) and its iptables rules go with {@link HostState#restore}.
   */
  private void startKubeProxy(String server, Path ca) throws IOException {
    int healthz = freePort();
    spawn(
        "kube-proxy",
        List.of(
            bin("kube-proxy"),
            "--kubeconfig",
            writeKubeconfig("kube-proxy", server, ca, tokenOf("kube-proxy")).toString(),
            "--hostname-override",
            NODE_NAME,
            "--proxy-mode",
            "iptables",
            "--cluster-cidr",
            POD_SUBNET,
            "--nodeport-addresses",
            NODE_IP + "/32",
            "--iptables-localhost-nodeports=false",
            "--conntrack-max-per-core=0",
            "--conntrack-tcp-timeout-established=0",
            "--conntrack-tcp-timeout-close-wait=0",
            "--healthz-bind-address",
            "127.0.0.1:" + healthz,
            "--metrics-bind-address",
            "127.0.0.1:" + freePort(),
            "--v",
            "1"));
    // healthz answers 200 once the rules have been written from the API server's Services
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Instant deadline = Instant.now().plusSeconds(60);
    while (true) {
      requireAlive();
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthz + "/healthz"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for kube-proxy", e);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IOException(
            "kube-proxy was not healthy within 60 s: " + tail(run.resolve("kube-proxy.log")));
      }
      pause(200);
    }
  }

  private static final String KUBE_ROUTER_USER = "wingu:kube-router";

  /**
   * Starts kube-router's network-policy controller (no routing, no service proxy, no CNI config, no
   * health or metrics port) with read access to what policies select, and returns once its chains
   * hook the filter table: from then on a NetworkPolicy is enforced within a sync.
   */
  private void startNetworkPolicies(String server, Path ca) throws IOException {
    client
        .rbac()
        .clusterRoles()
        .resource(
            new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder()
                .withNewMetadata()
                .withName(KUBE_ROUTER_USER)
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("pods", "namespaces", "nodes", "services", "endpoints")
                .withVerbs("get", "list", "watch")
                .endRule()
                .addNewRule()
                .withApiGroups("networking.k8s.io")
                .withResources("networkpolicies")
                .withVerbs("get", "list", "watch")
                .endRule()
                .addNewRule()
                .withApiGroups("discovery.k8s.io")
                .withResources("endpointslices")
                .withVerbs("get", "list", "watch")
                .endRule()
                .build())
        .serverSideApply();
    client
        .rbac()
        .clusterRoleBindings()
        .resource(
            new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(KUBE_ROUTER_USER)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", KUBE_ROUTER_USER)
                .addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("User")
                .withName(KUBE_ROUTER_USER)
                .endSubject()
                .build())
        .serverSideApply();
    spawn(
        "kube-router",
        List.of(
            kubeRouter().toString(),
            "--kubeconfig",
            writeKubeconfig("kube-router", server, ca, tokenOf("kube-router")).toString(),
            "--run-firewall=true",
            "--run-router=false",
            "--run-service-proxy=false",
            "--enable-cni=false",
            "--enable-ipv6=false",
            "--health-port=0",
            "--metrics-port=0",
            "--hostname-override=" + NODE_NAME,
            "--service-cluster-ip-range=" + SERVICE_SUBNET,
            "-v",
            "1"));
    Instant deadline = Instant.now().plusSeconds(60);
    while (!Processes.run(List.of("iptables", "-w", "-S", "KUBE-ROUTER-FORWARD")).ok()) {
      requireAlive();
      if (Instant.now().isAfter(deadline)) {
        throw new IOException(
            "kube-router made no KUBE-ROUTER-FORWARD chain within 60 s:\n"
                + tail(run.resolve("kube-router.log")));
      }
      pause(200);
    }
  }

  /**
   * CoreDNS answers the cluster's names ({@value #CLUSTER_DOMAIN}: Services, pods) on the node's
   * address, where the kubelet points every pod's resolv.conf; it forwards nothing.
   */
  private void startCoreDns() throws IOException {
    Path corefile = run.resolve("Corefile");
    Files.writeString(
        corefile,
        String.join(
            "\n",
            ".:53 {",
            "  bind " + NODE_IP,
            "  errors",
            "  kubernetes " + CLUSTER_DOMAIN + " {",
            "    kubeconfig " + adminKubeconfig + " wingu",
            "  }",
            "}",
            ""));
    spawn("coredns", List.of(bin("coredns"), "-conf", corefile.toString()));
  }

  // ---- access -------------------------------------------------------------------------------

  /** A client with cluster-admin rights (group system:masters). */
  public KubernetesClient client() {
    return client;
  }

  public Path adminKubeconfig() {
    return adminKubeconfig;
  }

  // ---- stopping -----------------------------------------------------------------------------

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // close() runs from the hook itself
    }
    if (client != null) {
      client.close();
    }
    // the enforcer first, so no sync of its rewrites the rules HostState restores
    stopProcess("kube-router");
    // kubelet first so it restarts nothing; containers go while containerd still answers
    stopProcess("kubelet");
    stopProcess("kube-proxy");
    stopProcess("coredns");
    stopProcess("kube-scheduler");
    stopProcess("kube-controller-manager");
    removeContainers();
    stopProcess("containerd");
    stopProcess("kube-apiserver");
    stopProcess("etcd");
    cleanUpAfter(run, before);
    try {
      Files.deleteIfExists(HOME.resolve("host-before.json"));
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("could not release the cluster lock: {}", e.getMessage());
    }
    LOG.info(
        "one-node cluster stopped; this machine's settings, mounts, cgroups and interfaces restored");
  }

  private void removeContainers() {
    try {
      for (String id :
          ctr(List.of("tasks", "ls", "-q")).output().lines().filter(l -> !l.isBlank()).toList()) {
        ctr(List.of("tasks", "kill", "-s", "SIGKILL", id));
        ctr(List.of("tasks", "delete", "-f", id));
      }
      for (String id :
          ctr(List.of("containers", "ls", "-q"))
              .output()
              .lines()
              .filter(l -> !l.isBlank())
              .toList()) {
        ctr(List.of("containers", "delete", id));
      }
    } catch (IOException e) {
      LOG.warn("could not remove the node's containers through containerd: {}", e.getMessage());
    }
  }

  /**
   * Ends every process still using the run folder (containerd's shims and the containers they hold,
   * also after a killed run), then puts the machine back and deletes the run folder.
   */
  private static void cleanUpAfter(Path run, HostState before) {
    List<ProcessHandle> leftovers =
        ProcessHandle.allProcesses()
            .filter(
                p ->
                    p.pid() != ProcessHandle.current().pid()
                        && p.info().commandLine().orElse("").contains(run.toString()))
            .toList();
    for (ProcessHandle p : leftovers) {
      LOG.info("ending leftover process {}: {}", p.pid(), p.info().commandLine().orElse(""));
      p.destroyForcibly();
    }
    awaitExit(leftovers);
    killCgroupProcesses();
    before.restore(BRIDGE);
    try {
      HostState.deleteTree(run);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete {}: {}", run, e.getMessage());
    }
  }

  /** Container processes live in kubepods cgroups; none may outlive the cluster. */
  private static void killCgroupProcesses() {
    try (var controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path c : controllers.toList()) {
        Path kubepods = c.resolve("kubepods");
        if (!Files.isDirectory(kubepods)) {
          continue;
        }
        try (var walk = Files.walk(kubepods)) {
          for (Path procs :
              walk.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
            List<ProcessHandle> inside =
                Files.readAllLines(procs).stream()
                    .filter(pid -> !pid.isBlank())
                    .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid.strip())).stream())
                    .toList();
            inside.forEach(ProcessHandle::destroyForcibly);
            awaitExit(inside);
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not end processes left in kubepods cgroups: {}", e.getMessage());
    }
  }

  private static void awaitExit(List<ProcessHandle> processes) {
    java.util.concurrent.CompletableFuture.allOf(
            processes.stream()
                .map(ProcessHandle::onExit)
                .toArray(java.util.concurrent.CompletableFuture[]::new))
        .completeOnTimeout(null, 15, TimeUnit.SECONDS)
        .join();
  }

  // ---- child processes ----------------------------------------------------------------------

  private final java.util.Map<String, Process> byName = new java.util.LinkedHashMap<>();

  private void spawn(String name, List<String> command) throws IOException {
    Path log = run.resolve(name + ".log");
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    p.getOutputStream().close();
    byName.put(name, p);
  }

  private void requireAlive() throws IOException {
    for (var e : byName.entrySet()) {
      if (!e.getValue().isAlive()) {
        throw new IOException(
            e.getKey()
                + " exited with "
                + e.getValue().exitValue()
                + ": "
                + tail(run.resolve(e.getKey() + ".log")));
      }
    }
  }

  private void stopProcess(String name) {
    Process p = byName.get(name);
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private String bin(String name) {
    return binaries.resolve(name).toString();
  }

  private static void must(List<String> command) throws IOException {
    Processes.Result r = Processes.run(command);
    if (!r.ok()) {
      throw new IOException(String.join(" ", command) + " failed: " + r.output());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String token() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static HostState readState(Path file) {
    try {
      return JSON.readValue(Files.readAllBytes(file), HostState.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** Waiting between checks of a process that has no readiness event of its own. */
  private static void pause(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the cluster started", e);
    }
  }
}
