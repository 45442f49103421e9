package dev.stint.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.config.ConfigException;
import dev.stint.config.ConfigLoader;
import dev.stint.config.StintConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The database's timeouts as configured: their defaults, their bounds, their variables. */
class DatabaseTimeoutsTest {
  @Test
  void theConfigurationsDefaultsAreTheDefaults() {
    StintConfig.DatabaseConfig db = ConfigLoader.load(Optional.empty(), Map.of()).database();
    assertThat(new DatabaseTimeouts(db.statementTimeout(), db.connectTimeout(), db.tcpKeepalive()))
        .isEqualTo(DatabaseTimeouts.DEFAULTS);
  }

  @Test
  void eachIsSetByItsVariable() {
    StintConfig.DatabaseConfig db =
        ConfigLoader.load(
                Optional.empty(),
                Map.of(
                    "STINT_DATABASE_STATEMENT_TIMEOUT", "3s",
                    "STINT_DATABASE_CONNECT_TIMEOUT", "2s",
                    "STINT_DATABASE_TCP_KEEPALIVE", "30s"))
            .database();
    assertThat(db.statementTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(db.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(db.tcpKeepalive()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aDeadlineOutsideItsBoundsIsRefusedNamingTheKey() {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(), Map.of("STINT_DATABASE_STATEMENT_TIMEOUT", "5m")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("database.statement_timeout");
    assertThatThrownBy(
            () -> ConfigLoader.load(Optional.empty(), Map.of("STINT_DATABASE_TCP_KEEPALIVE", "0s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("database.tcp_keepalive");
  }
}
