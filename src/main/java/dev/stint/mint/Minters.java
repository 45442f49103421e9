package dev.stint.mint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The clouds this server mints for, each by its {@link CloudMinter#cloud()} name. */
public final class Minters {
  private final Map<String, CloudMinter> byCloud;

  public Minters(List<CloudMinter> minters) {
    Map<String, CloudMinter> map = new LinkedHashMap<>();
    for (CloudMinter m : minters) {
      if (map.putIfAbsent(m.cloud(), m) != null) {
        throw new IllegalArgumentException("two minters for " + m.cloud());
      }
    }
    this.byCloud = Map.copyOf(map);
  }

  /** The minter of {@code cloud}, if this server mints there. */
  public Optional<CloudMinter> of(String cloud) {
    return Optional.ofNullable(byCloud.get(cloud));
  }

  /** The console sign-in of {@code cloud}, if it mints there and the cloud has one. */
  public Optional<ConsoleSignIn> console(String cloud) {
    return of(cloud).flatMap(CloudMinter::console);
  }

  /** How {@code cloud} ends its revocable credentials, if it mints here and can end them. */
  /** Each cloud whose logs tell what its credentials did, by its name. */
  public Map<String, ActivityLookup> activity() {
    Map<String, ActivityLookup> out = new TreeMap<>();
    for (String cloud : clouds()) {
      of(cloud).flatMap(CloudMinter::activity).ifPresent(a -> out.put(cloud, a));
    }
    return out;
  }

  public Optional<SessionRevoker> revoker(String cloud) {
    return of(cloud).flatMap(CloudMinter::revoker);
  }

  public Set<String> clouds() {
    return byCloud.keySet();
  }
}
