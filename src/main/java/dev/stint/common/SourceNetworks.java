package dev.stint.common;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A profile's {@code source_cidrs}: the IPv4 and IPv6 networks its callers must come from. Empty
 * means no restriction. Only address literals are accepted: a name would need DNS, and DNS is not
 * something a security rule should depend on while the policy loads.
 */
public final class SourceNetworks {
  public static final SourceNetworks ANY = new SourceNetworks(List.of());

  /** Parsed once: {@link #contains} runs on every issuance of a restricted profile. */
  private final List<Network> networks;

  private SourceNetworks(List<Network> networks) {
    this.networks = List.copyOf(networks);
  }

  /** The networks in canonical text form, as AWS session policies and the API show them. */
  public List<String> cidrs() {
    return networks.stream().map(Network::text).toList();
  }

  public boolean restricted() {
    return !networks.isEmpty();
  }

  /** Parses every entry, or throws IllegalArgumentException naming the first bad one and why. */
  public static SourceNetworks parse(List<String> entries) {
    List<Network> out = new ArrayList<>();
    for (String entry : entries) {
      Network n = network(entry.strip());
      if (out.contains(n)) {
        throw new IllegalArgumentException("'" + entry + "' is listed twice");
      }
      out.add(n);
    }
    return new SourceNetworks(out);
  }

  /** Is this address (as the HTTP server saw it) inside one of the networks? */
  public boolean contains(Optional<String> address) {
    if (!restricted()) {
      return true;
    }
    Optional<InetAddress> a = address.flatMap(IpLiterals::parse);
    return a.isPresent() && networks.stream().anyMatch(n -> n.contains(a.get()));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourceNetworks other && networks.equals(other.networks);
  }

  @Override
  public int hashCode() {
    return networks.hashCode();
  }

  @Override
  public String toString() {
    return "SourceNetworks" + cidrs();
  }

  /**
   * An IPv4 or IPv6 address literal in canonical form ({@code [::1]} and {@code ::1} alike), empty
   * when the text is not one. Never resolves a name.
   */
  public static Optional<String> address(String text) {
    return IpLiterals.parse(text.strip()).map(InetAddress::getHostAddress);
  }

  private record Network(InetAddress base, int prefix) {
    String text() {
      return base.getHostAddress() + "/" + prefix;
    }

    boolean contains(InetAddress a) {
      byte[] b = base.getAddress();
      byte[] x = a.getAddress();
      return b.length == x.length && masked(x, prefix).equals(masked(b, prefix));
    }
  }

  private static Network network(String entry) {
    int slash = entry.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "'"
              + entry
              + "' is not a CIDR: write it as 10.0.0.0/8 or "
              + "203.0.113.7/32 (IPv6: 2001:db8::/32)");
    }
    Optional<InetAddress> base = IpLiterals.parse(entry.substring(0, slash));
    if (base.isEmpty()) {
      throw new IllegalArgumentException(
          "'" + entry + "' does not start with an IPv4 or IPv6 address");
    }
    int bits = base.get().getAddress().length * 8;
    int prefix;
    try {
      prefix = Integer.parseInt(entry.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("'" + entry + "' needs a prefix length from 0 to " + bits);
    }
    byte[] raw = base.get().getAddress();
    if (!masked(raw, prefix).equals(new BigInteger(1, raw))) {
      // 10.1.2.3/8 is almost always a typo for 10.1.2.3/32 or 10.0.0.0/8; AWS would widen it.
      throw new IllegalArgumentException(
          "'"
              + entry
              + "' has bits set after the /"
              + prefix
              + " prefix; write the network address or a /"
              + bits);
    }
    return new Network(base.get(), prefix);
  }

  private static BigInteger masked(byte[] address, int prefix) {
    int bits = address.length * 8;
    BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    BigInteger mask = all.shiftRight(prefix).xor(all);
    return new BigInteger(1, address).and(mask);
  }
}
