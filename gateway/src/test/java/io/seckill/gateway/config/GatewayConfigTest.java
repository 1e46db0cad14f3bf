package io.seckill.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayConfigTest {

  @Test
  void theDefaultsMakeAValidConfig() {
    GatewayConfig config = GatewayConfig.from(new Env(Map.of()));

    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.httpInstances()).isPositive();
    assertThat(config.admitGroupMax()).isEqualTo(64);
    assertThat(config.admitWindow().toNanos()).isEqualTo(200_000);
  }

  @ParameterizedTest
  @CsvSource({
    "SECKILL_HTTP_PORT, 70000",
    "SECKILL_HTTP_PORT, -1",
    "SECKILL_HTTP_INSTANCES, -2",
    "SECKILL_MAX_IN_FLIGHT, 0",
    "SECKILL_MAX_BODY_BYTES, 0",
    "SECKILL_USER_RATE_PER_SECOND, 0",
    "SECKILL_IP_RATE_PER_SECOND, -5",
    "SECKILL_USER_RATE_PER_SECOND, NaN",
    "SECKILL_IP_BURST, 0",
    "SECKILL_ADMIT_GROUP_MAX, 0",
    "SECKILL_ADMIT_GROUP_MAX, 1001",
    "SECKILL_ADMIT_WINDOW_US, -1",
    "SECKILL_ORDERS_COMPRESSION, brotli",
    "SECKILL_NODE_LEASE_MS, 0",
    "SECKILL_SWEEP_INTERVAL_MS, 0",
    "SECKILL_JWT_LEEWAY_SECONDS, -1",
    "SECKILL_MAX_ORDERS_LAG, -1",
    "SECKILL_MAX_CONNECTIONS, 3000000000",
    "SECKILL_SHUTDOWN_GRACE_MS, -10"
  })
  void aValueOutOfRangeIsRefusedAtStartNamingItsVariable(String variable, String value) {
    assertThatThrownBy(() -> GatewayConfig.from(new Env(Map.of(variable, value))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(variable)
        .hasMessageContaining("got");
  }

  @Test
  void theRefusalSaysWhatWasGivenAndWhatIsAllowed() {
    assertThatThrownBy(() -> GatewayConfig.from(new Env(Map.of("SECKILL_ADMIT_GROUP_MAX", "1001"))))
        .hasMessage("SECKILL_ADMIT_GROUP_MAX must be at most 1000, got 1001");
  }

  @Test
  void theEdgesOfEachRangeAreAccepted() {
    Env env =
        new Env(Map.of())
            .with(Settings.ADMIT_GROUP_MAX, 1000)
            .with(Settings.HTTP_PORT, 0)
            .with(Settings.ADMIT_WINDOW_US, 0)
            .with(Settings.WARMUP_SECONDS, 0)
            .with(Settings.ORDERS_COMPRESSION, "zstd");
    GatewayConfig config = GatewayConfig.from(env);

    assertThat(config.admitGroupMax()).isEqualTo(1000);
    assertThat(config.httpPort()).isZero();
    assertThat(config.ordersCompression()).isEqualTo("zstd");
    assertThat(GatewayConfig.from(env.with(Settings.ADMIT_GROUP_MAX, 1)).admitGroupMax())
        .isEqualTo(1);
  }
}
