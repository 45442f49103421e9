package dev.stint.mint;

import dev.stint.cloud.CloudTarget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** The clouds this server mints for, each by the name of its {@link CloudMinter#cloud()}. */
public final class Minters {
  private final Map<String, CloudMinter<?, ?>> byCloud;

  public Minters(List<CloudMinter<?, ?>> minters) {
    Map<String, CloudMinter<?, ?>> map = new LinkedHashMap<>();
    for (CloudMinter<?, ?> m : minters) {
      if (map.putIfAbsent(m.cloud().name(), m) != null) {
        throw new IllegalArgumentException("two minters for " + m.cloud());
      }
    }
    this.byCloud = Map.copyOf(map);
  }

  /** {@code target} with the minter of its cloud, if this server mints there. */
  public Optional<Minting> of(CloudTarget target) {
    return Optional.ofNullable(byCloud.get(target.cloud())).flatMap(m -> pair(m, target));
  }

  /**
   * The one place a target meets its minter: the minter's {@link CloudMinter#cloud()} reads the
   * target as its own record, so the two agree by type, or do not pair at all.
   */
  private static <T extends CloudTarget, C extends Credential> Optional<Minting> pair(
      CloudMinter<T, C> minter, CloudTarget target) {
    return minter.cloud().target(target).map(own -> new Paired<>(minter, own));
  }

  /** Whether this server mints for {@code cloud} and the cloud has a console sign-in. */
  public boolean hasConsole(String cloud) {
    return Optional.ofNullable(byCloud.get(cloud)).flatMap(CloudMinter::console).isPresent();
  }

  /** Each cloud whose logs tell what its credentials did, by its name. */
  public Map<String, ActivityLookup> activity() {
    Map<String, ActivityLookup> out = new TreeMap<>();
    byCloud.forEach((cloud, m) -> m.activity().ifPresent(a -> out.put(cloud, a)));
    return out;
  }

  /** How {@code cloud} ends its revocable credentials, if it mints here and can end them. */
  public Optional<SessionRevoker> revoker(String cloud) {
    return Optional.ofNullable(byCloud.get(cloud)).flatMap(CloudMinter::revoker);
  }

  public Set<String> clouds() {
    return byCloud.keySet();
  }

  private record Paired<T extends CloudTarget, C extends Credential>(
      CloudMinter<T, C> minter, T target) implements Minting {
    @Override
    public String cloud() {
      return minter.cloud().name();
    }

    @Override
    public Lifetimes.CloudLimits limits() {
      return minter.limits();
    }

    @Override
    public CompletableFuture<Credential> mint(MintOrder order) {
      return minter.mint(target, order).thenApply(credential -> credential);
    }

    @Override
    public Optional<SignIn> signIn(
        String profile, Optional<String> destination, Optional<String> region) {
      return minter
          .console()
          .map(c -> new Signing<>(this, c.landing(target, profile, destination, region)));
    }
  }

  /** A landing and the session minted for it, kept until the link is made. */
  private static final class Signing<T extends CloudTarget, C extends Credential>
      implements Minting.SignIn {
    private final Paired<T, C> paired;
    private final ConsoleSignIn.Landing<C> landing;
    private final CompletableFuture<C> minted = new CompletableFuture<>();

    Signing(Paired<T, C> paired, ConsoleSignIn.Landing<C> landing) {
      this.paired = paired;
      this.landing = landing;
    }

    @Override
    public CompletableFuture<Credential> mint(MintOrder order) {
      return paired
          .minter()
          .mint(paired.target(), order)
          .whenComplete(
              (session, failed) -> {
                if (failed == null) {
                  minted.complete(session);
                } else {
                  minted.completeExceptionally(failed);
                }
              })
          .thenApply(session -> session);
    }

    @Override
    public CompletableFuture<ConsoleSignIn.Link> link() {
      return minted.thenCompose(landing::link);
    }
  }
}
