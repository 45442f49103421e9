package dev.stint.bench;

import dev.stint.testing.IssuanceRig;
import dev.stint.testing.LoadDriver;
import java.time.Duration;
import java.util.Map;

/** Quick probe: warm-up then one measured run at the given client count. */
public final class IssuanceBench {
  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int warm = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int measure = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    try (IssuanceRig rig = IssuanceRig.start(true, Map.of()); LoadDriver driver = new LoadDriver()) {
      LoadDriver.Target target = rig.credentials("alice");
      System.out.println("warm-up: " + driver.run(target, clients, Duration.ofSeconds(warm)));
      System.out.println("measure: " + driver.run(target, clients, Duration.ofSeconds(measure)));
      System.out.println("pg commits/s: " + PostgresCommitRate.perSecond(rig.database(), Duration.ofSeconds(5)));
      System.out.println("health:  " + driver.run(LoadDriver.Target.get(rig.uri("/healthz")),
          clients, Duration.ofSeconds(5)));
    }
    System.exit(0);
  }
}
