package dev.stint.http;

import dev.stint.common.SourceNetworks;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address a request came from, as stint records it in the audit log and checks it against a
 * profile's {@code source_cidrs}. By default it is the TCP peer and {@code X-Forwarded-For} is
 * ignored: anyone can write that header. Only when the peer is one of the configured {@code
 * trusted_proxies} is the header read, from the right: each hop a trusted proxy added is skipped
 * and the first address that is not a trusted proxy is the caller. Whatever stands to its left was
 * written by the caller and is never believed.
 */
public final class ClientAddresses implements RouteModule {
  public static final String HEADER = "X-Forwarded-For";
  private static final String KEY = "stint.client_address";
  private static final Pattern IPV4_PORT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}):\\d{1,5}");
  private static final Pattern IPV6_PORT = Pattern.compile("\\[([0-9a-fA-F:.]+)\\]:\\d{1,5}");
  private final SourceNetworks trusted;

  /**
   * @param trustedProxies CIDRs of the proxies in front of stint; empty trusts none
   */
  public ClientAddresses(List<String> trustedProxies) {
    this.trusted = SourceNetworks.parse(trustedProxies);
  }

  @Override
  public void register(Router router) {
    router
        .route()
        .handler(
            ctx -> {
              ctx.put(KEY, resolve(peer(ctx), ctx.request().headers().getAll(HEADER)));
              ctx.next();
            });
  }

  /** The caller's address for this request; empty when it cannot be known. */
  public static Optional<String> of(RoutingContext ctx) {
    Optional<String> resolved = ctx.get(KEY);
    return resolved != null ? resolved : peer(ctx);
  }

  /** The caller's address given the TCP peer and every X-Forwarded-For header, in order. */
  Optional<String> resolve(Optional<String> peer, List<String> forwarded) {
    if (!trusts(peer)) {
      return peer;
    }
    List<String> hops = new ArrayList<>();
    for (String header : forwarded) {
      for (String hop : header.split(",", -1)) {
        hops.add(hop.strip());
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<String> hop = address(hops.get(i));
      if (hop.isEmpty()) {
        // A trusted proxy passed on something that is no address: the caller is unknown, and an
        // unknown address is inside no source_cidrs.
        return Optional.empty();
      }
      if (!trusts(hop)) {
        return hop;
      }
    }
    // Only trusted proxies (or no header at all): the farthest one seen is the best answer.
    return hops.isEmpty() ? peer : address(hops.get(0));
  }

  private boolean trusts(Optional<String> address) {
    return trusted.restricted() && address.isPresent() && trusted.contains(address);
  }

  /**
   * A hop as proxies write it: an address, optionally with a port ({@code 1.2.3.4:5}, {@code
   * [::1]:5}).
   */
  private static Optional<String> address(String hop) {
    Matcher v4 = IPV4_PORT.matcher(hop);
    Matcher v6 = IPV6_PORT.matcher(hop);
    String bare = v4.matches() ? v4.group(1) : v6.matches() ? v6.group(1) : hop;
    return SourceNetworks.address(bare);
  }

  private static Optional<String> peer(RoutingContext ctx) {
    return Optional.ofNullable(ctx.request().remoteAddress()).map(a -> a.hostAddress());
  }
}
