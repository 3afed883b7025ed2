package io.wingu.controlplane.app;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Whether a request reached us over HTTPS: its own TLS, or a TLS-terminating proxy that says so in
 * {@code X-Forwarded-Proto} — believed only from the configured proxy addresses, since anyone else
 * can send the header. HTTPS answers carry {@code Strict-Transport-Security}.
 */
public final class SecureTransport implements Handler<RoutingContext> {

  private static final String HTTPS = "wingu.https";
  static final String HSTS = "max-age=31536000; includeSubDomains";

  private final List<IpSubnetFilterRule> proxies;

  public SecureTransport(List<String> trustedProxies) {
    this.proxies = trustedProxies.stream().map(SecureTransport::rule).toList();
  }

  /** An IP address or CIDR block; anything else (a host name too) is refused. */
  static IpSubnetFilterRule rule(String entry) {
    String[] parts = entry.trim().split("/", 2);
    String ip = parts[0];
    boolean v4 = NetUtil.isValidIpV4Address(ip);
    if (!v4 && !NetUtil.isValidIpV6Address(ip)) {
      throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
    }
    int max = v4 ? 32 : 128;
    int prefix;
    try {
      prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : max;
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException("'" + entry + "' has a prefix length outside 0-" + max);
    }
    return new IpSubnetFilterRule(ip, prefix, IpFilterRuleType.ACCEPT);
  }

  @Override
  public void handle(RoutingContext ctx) {
    boolean https = ctx.request().isSSL() || forwardedHttps(ctx);
    ctx.put(HTTPS, https);
    if (https) {
      ctx.response().putHeader("Strict-Transport-Security", HSTS);
    }
    ctx.next();
  }

  private boolean forwardedHttps(RoutingContext ctx) {
    String proto = ctx.request().getHeader("X-Forwarded-Proto");
    if (proto == null || proxies.isEmpty()) {
      return false;
    }
    SocketAddress peer = ctx.request().remoteAddress();
    if (peer == null || peer.hostAddress() == null) {
      return false;
    }
    InetSocketAddress address = new InetSocketAddress(peer.hostAddress(), peer.port());
    if (address.isUnresolved() || proxies.stream().noneMatch(p -> p.matches(address))) {
      return false;
    }
    // the client-facing proxy's value comes first when several proxies append theirs
    return proto.split(",")[0].trim().equalsIgnoreCase("https");
  }

  /**
   * Whether the original request of {@code ctx} was HTTPS (its own TLS or a trusted proxy's word).
   */
  public static boolean https(RoutingContext ctx) {
    Boolean https = ctx.get(HTTPS);
    return https != null ? https : ctx.request().isSSL();
  }
}
