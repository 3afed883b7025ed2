package io.wingu.controlplane.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The served OpenAPI document, loaded for request validation. Vert.x's contract model refuses
 * responses in media types it cannot validate (YAML, HTML, CSV) although it never validates
 * responses here; so its copy drops those response bodies, and requests are validated against
 * exactly the paths, parameters and bodies that the served document declares.
 */
public final class ApiContract {

  private ApiContract() {}

  public static byte[] document() {
    try (InputStream in = ApiContract.class.getResourceAsStream("/" + HttpApi.OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + HttpApi.OPENAPI_RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Future<OpenAPIContract> load(Vertx vertx) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> tree =
          new ObjectMapper(new YAMLFactory()).readValue(document(), Map.class);
      JsonObject doc = new JsonObject(tree);
      doc.getJsonObject("paths")
          .forEach(
              path ->
                  ((JsonObject) path.getValue())
                      .forEach(
                          op -> {
                            if (op.getValue() instanceof JsonObject operation
                                && operation.containsKey("responses")) {
                              operation
                                  .getJsonObject("responses")
                                  .forEach(r -> dropUnvalidatable((JsonObject) r.getValue()));
                            }
                          }));
      JsonObject responses =
          doc.getJsonObject("components", new JsonObject()).getJsonObject("responses");
      if (responses != null) {
        responses.forEach(r -> dropUnvalidatable((JsonObject) r.getValue()));
      }
      // the document's server is relative ("/": wherever the control plane serves it), which
      // Vert.x cannot read (it wants an absolute URL); its routes are at the root all the same
      doc.remove("servers");
      return OpenAPIContract.from(vertx, doc);
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
  }

  private static void dropUnvalidatable(JsonObject response) {
    JsonObject content = response.getJsonObject("content");
    if (content != null) {
      content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
      if (content.isEmpty()) {
        response.remove("content");
      }
    }
  }
}
