package dev.stint.db;

import dev.stint.config.DatabaseUrl;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings a database's schema up to date with the migrations shipped in this build. */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /**
   * Migrates the database, refusing one whose schema is newer than this build knows (an older stint
   * must not run against a schema it does not understand).
   */
  public static int migrate(DatabaseUrl url) {
    Flyway flyway =
        Flyway.configure()
            .dataSource(url.jdbcUrl(), url.user(), url.password())
            .locations("classpath:db/migration")
            .cleanDisabled(true)
            .validateMigrationNaming(true)
            .load();
    MigrateResult result = flyway.migrate();
    LOG.info(
        "database schema at version {} ({} migrations applied)",
        result.targetSchemaVersion != null
            ? result.targetSchemaVersion
            : flyway.info().current().getVersion(),
        result.migrationsExecuted);
    return result.migrationsExecuted;
  }
}
