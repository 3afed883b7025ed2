package io.wingu.controlplane.app;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The methods a path answers, for the {@code Allow} header every 405 must carry (RFC 9110 15.5.6):
 * read from the router's own routes with a path template and methods, so it cannot drift from them.
 * Routes by regular expression (console-wide handlers) name no path of their own.
 */
public final class AllowedMethods {

  private AllowedMethods() {}

  /**
   * The methods routes of {@code router} take on {@code path}, sorted; empty when none names it.
   */
  public static Set<String> of(Router router, String path) {
    Set<String> methods = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      if (route.isRegexPath()
          || route.getPath() == null
          || route.methods() == null
          || route.methods().isEmpty()) {
        continue;
      }
      if (template(route.getPath()).matcher(path).matches()) {
        route.methods().forEach(m -> methods.add(m.name()));
      }
    }
    if (methods.contains(HttpMethod.GET.name())) {
      methods.add(HttpMethod.HEAD.name());
    }
    return methods;
  }

  /** The value of the Allow header for {@code path}. */
  public static String header(Router router, String path) {
    return String.join(", ", of(router, path));
  }

  /** "/sites/:id/documents" → a pattern where :id is one segment; a trailing * is any rest. */
  private static Pattern template(String path) {
    StringBuilder regex = new StringBuilder();
    String rest = path.endsWith("*") ? path.substring(0, path.length() - 1) : path;
    for (String part : rest.split("(?=/)")) {
      if (part.startsWith("/:")) {
        regex.append("/[^/]+");
      } else {
        regex.append(Pattern.quote(part));
      }
    }
    if (path.endsWith("*")) {
      regex.append(".*");
    }
    return Pattern.compile(regex.toString());
  }
}
