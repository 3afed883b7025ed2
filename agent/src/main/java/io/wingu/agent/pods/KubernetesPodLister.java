package io.wingu.agent.pods;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import io.wingu.agent.http.SimpleHttp;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
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
import java.util.List;
import java.util.Map;

/**
 * Lists this node's pods from the API server: {@code GET /api/v1/pods?fieldSelector=spec.nodeName=<node>}
 * with the ServiceAccount token (re-read each time: it rotates) and the cluster CA.
 */
public final class KubernetesPodLister implements PodLister {

    /**
     * Metadata only (a fraction of full pod objects) — all that naming a pod needs; a server that cannot
     * answer in that form sends the full list, which parses the same way.
     */
    private static final String ACCEPT = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
    private static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    private final SimpleHttp http;
    private final URI podsOfNode;
    private final Path tokenFile;

    public KubernetesPodLister(URI apiServer, String nodeName, Path tokenFile, Path caFile, Duration timeout) {
        String base = apiServer.toString();
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.podsOfNode = URI.create(base + "/api/v1/pods?fieldSelector="
                + URLEncoder.encode("spec.nodeName=" + nodeName, StandardCharsets.UTF_8));
        this.tokenFile = tokenFile;
        boolean clusterCa = "https".equals(apiServer.getScheme()) && Files.isReadable(caFile);
        this.http = new SimpleHttp(timeout, clusterCa ? trusting(caFile) : null);
    }

    @Override
    public List<PodIdentity> listPods() throws IOException {
        Map<String, String> headers = new HashMap<>();
        headers.put("Accept", ACCEPT);
        if (Files.isReadable(tokenFile)) {
            headers.put("Authorization", "Bearer " + Files.readString(tokenFile).strip());
        }
        SimpleHttp.Response response = http.get(podsOfNode, headers);
        if (response.status() != 200) {
            throw new IOException("GET " + podsOfNode + " answered " + response.status());
        }
        return parse(Json.parse(new String(response.body(), StandardCharsets.UTF_8)).asObject());
    }

    /** A PodList or PartialObjectMetadataList: items[].metadata is all that is read. */
    static List<PodIdentity> parse(JsonObject list) {
        List<PodIdentity> pods = new ArrayList<>();
        JsonValue items = list.get("items");
        if (items == null || items.isNull()) {
            return pods;
        }
        for (JsonValue item : items.asArray()) {
            JsonObject metadata = item.asObject().get("metadata").asObject();
            String uid = metadata.getString("uid", "");
            JsonValue annotations = metadata.get("annotations");
            String cgroupUid = annotations != null && annotations.isObject()
                    ? annotations.asObject().getString(MIRROR_ANNOTATION, uid) : uid;
            pods.add(new PodIdentity(metadata.getString("namespace", ""), metadata.getString("name", ""), uid, cgroupUid));
        }
        return pods;
    }

    private static SSLSocketFactory trusting(Path caFile) {
        try (InputStream pem = Files.newInputStream(caFile)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                trust.setCertificateEntry("ca-" + n++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the cluster CA " + caFile + ": " + e.getMessage(), e);
        }
    }
}
