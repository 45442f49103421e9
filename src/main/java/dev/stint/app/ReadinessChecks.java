package dev.stint.app;

import dev.stint.db.Database;
import dev.stint.http.ReadinessCheck;
import io.vertx.core.Future;
import java.util.List;

/** What {@code /readyz} checks besides the audit checkpoints, which {@link AuditWiring} adds. */
final class ReadinessChecks {
  private ReadinessChecks() {}

  static List<ReadinessCheck> of(
      Database database,
      ServerRoutes.Services services,
      PolicyReadiness policies,
      IssuerWatch issuers) {
    return List.of(
        services.directory().readiness(),
        database(database),
        policies.readiness(),
        issuers.readiness(),
        services.activity().findings().readiness());
  }

  /** The database answers, and takes writes: a hot standby behind the address is not ready. */
  private static ReadinessCheck database(Database database) {
    return new ReadinessCheck(
        "database",
        () ->
            database
                .ping()
                .recover(
                    e ->
                        Future.failedFuture(
                            Database.READ_ONLY.equals(e.getMessage())
                                ? Database.READ_ONLY
                                : "unreachable")));
  }
}
