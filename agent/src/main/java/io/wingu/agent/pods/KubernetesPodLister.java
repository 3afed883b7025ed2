package io.wingu.agent.pods;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.wingu.agent.http.SimpleHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Lists this node's pods from the API server: {@code GET
 * /api/v1/pods?fieldSelector=spec.nodeName=<node>}, then the hostNetwork ones among them ({@code
 * fieldSelector=spec.nodeName=<node>,spec.hostNetwork=true}, a field selector the API server
 * supports for pods), both metadata only, with the ServiceAccount token (re-read each time: it
 * rotates) and the cluster CA. Asking the API server which pods use the node's network, instead of
 * comparing {@code /proc/<pid>/ns/net} links (which the kernel shows another user only with
 * CAP_SYS_PTRACE), is what lets the agent run as a non-root user with no capability.
 */
public final class KubernetesPodLister implements PodLister {

  /**
   * Metadata only (a fraction of full pod objects) — all that naming a pod needs; a server that
   * cannot answer in that form sends the full list, which parses the same way.
   */
  private static final String ACCEPT =
      "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

  private static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

  /** Thread-safe and reusable, as Jackson documents. */
  private static final JsonFactory JSON = new JsonFactory();

  private final SimpleHttp http;
  private final URI podsOfNode;
  private final URI hostNetworkPodsOfNode;
  private final Path tokenFile;

  public KubernetesPodLister(
      URI apiServer, String nodeName, Path tokenFile, Path caFile, Duration timeout) {
    String base = apiServer.toString();
    base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.podsOfNode = podsWhere(base, "spec.nodeName=" + nodeName);
    this.hostNetworkPodsOfNode =
        podsWhere(base, "spec.nodeName=" + nodeName + ",spec.hostNetwork=true");
    this.tokenFile = tokenFile;
    boolean clusterCa = "https".equals(apiServer.getScheme()) && Files.isReadable(caFile);
    this.http = new SimpleHttp(timeout, clusterCa ? trusting(caFile) : null);
  }

  private static URI podsWhere(String apiServer, String fieldSelector) {
    return URI.create(
        apiServer
            + "/api/v1/pods?fieldSelector="
            + URLEncoder.encode(fieldSelector, StandardCharsets.UTF_8));
  }

  /**
   * Both lists, in this order: spec.hostNetwork cannot change on a pod, so every hostNetwork pod of
   * the first list that still exists is in the second (a pod created between the two is in the
   * second only, and ignored until the next listing names it). Either failing fails the whole
   * listing: a pod never passes for one with its own network for want of the second list.
   */
  @Override
  public List<PodIdentity> listPods() throws IOException {
    Map<String, String> headers = new HashMap<>();
    headers.put("Accept", ACCEPT);
    if (Files.isReadable(tokenFile)) {
      headers.put("Authorization", "Bearer " + Files.readString(tokenFile).strip());
    }
    List<PodIdentity> pods = parse(get(podsOfNode, headers));
    Set<String> hostNetwork = new HashSet<>();
    for (PodIdentity pod : parse(get(hostNetworkPodsOfNode, headers))) {
      hostNetwork.add(pod.uid());
    }
    List<PodIdentity> marked = new ArrayList<>(pods.size());
    for (PodIdentity pod : pods) {
      marked.add(
          hostNetwork.contains(pod.uid())
              ? new PodIdentity(pod.namespace(), pod.name(), pod.uid(), pod.cgroupUid(), true)
              : pod);
    }
    return marked;
  }

  private byte[] get(URI uri, Map<String, String> headers) throws IOException {
    SimpleHttp.Response response = http.get(uri, headers);
    if (response.status() != 200) {
      throw new IOException("GET " + uri + " answered " + response.status());
    }
    return response.body();
  }

  /**
   * A PodList or PartialObjectMetadataList: items[].metadata is all that is read, streamed with
   * Jackson's parser (no tree of the whole list is built).
   */
  static List<PodIdentity> parse(byte[] list) throws IOException {
    List<PodIdentity> pods = new ArrayList<>();
    try (JsonParser json = JSON.createParser(list)) {
      expect(json, json.nextToken(), JsonToken.START_OBJECT);
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if (field.equals("items") && value == JsonToken.START_ARRAY) {
          while (json.nextToken() == JsonToken.START_OBJECT) {
            pods.add(item(json));
          }
        } else {
          json.skipChildren();
        }
      }
    }
    return pods;
  }

  /** One item, the parser at its start: its metadata (an item without one fails the listing). */
  private static PodIdentity item(JsonParser json) throws IOException {
    PodIdentity pod = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      if (field.equals("metadata") && value == JsonToken.START_OBJECT) {
        pod = metadata(json);
      } else {
        json.skipChildren();
      }
    }
    if (pod == null) {
      throw new IOException("a pod in the list has no metadata");
    }
    return pod;
  }

  private static PodIdentity metadata(JsonParser json) throws IOException {
    String namespace = "";
    String name = "";
    String uid = "";
    String mirrorOf = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      switch (field) {
        case "namespace" -> namespace = json.getValueAsString("");
        case "name" -> name = json.getValueAsString("");
        case "uid" -> uid = json.getValueAsString("");
        case "annotations" -> {
          if (value == JsonToken.START_OBJECT) {
            while (json.nextToken() == JsonToken.FIELD_NAME) {
              String key = json.currentName();
              json.nextToken();
              if (key.equals(MIRROR_ANNOTATION)) {
                mirrorOf = json.getValueAsString();
              } else {
                json.skipChildren();
              }
            }
          }
        }
        default -> json.skipChildren();
      }
    }
    return new PodIdentity(namespace, name, uid, mirrorOf == null ? uid : mirrorOf);
  }

  private static void expect(JsonParser json, JsonToken got, JsonToken wanted) throws IOException {
    if (got != wanted) {
      throw new IOException(
          "pod list: expected " + wanted + " but found " + got + " at " + json.currentLocation());
    }
  }

  private static SSLSocketFactory trusting(Path caFile) {
    try (InputStream pem = Files.newInputStream(caFile)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int n = 0;
      for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
        trust.setCertificateEntry("ca-" + n++, ca);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot load the cluster CA " + caFile + ": " + e.getMessage(), e);
    }
  }
}
