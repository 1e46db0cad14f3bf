package io.seckill.delay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DelayConfig refuses out-of-range values at start, naming the variable. */
class DelayConfigTest {

  private static DelayConfig from(Map<String, String> values) {
    return DelayConfig.from(new Env(values));
  }

  @Test
  void theDefaultsAreValid() {
    DelayConfig c = from(Map.of());
    assertThat(c.maxBackoff()).isEqualTo(Duration.ofMillis(5000));
    assertThat(c.drainTimeout()).isGreaterThan(c.servers().callTimeout());
  }

  @Test
  void aZeroBatchSizeIsRefusedNamingItsVariable() {
    assertThatThrownBy(() -> from(Map.of(Settings.DELAY_BATCH_SIZE.env(), "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Settings.DELAY_BATCH_SIZE.env());
  }

  @Test
  void tooManyBatchesInFlightAreRefused() {
    assertThatThrownBy(
            () ->
                from(
                    Map.of(
                        Settings.DELAY_MAX_IN_FLIGHT.env(),
                        Integer.toString(DelayConfig.MAX_IN_FLIGHT + 1))))
        .hasMessageContaining(Settings.DELAY_MAX_IN_FLIGHT.env());
  }

  @Test
  void aZeroCommitIntervalOrBackOffIsRefused() {
    assertThatThrownBy(() -> from(Map.of(Settings.DELAY_COMMIT_INTERVAL_MS.env(), "0")))
        .hasMessageContaining(Settings.DELAY_COMMIT_INTERVAL_MS.env());
    assertThatThrownBy(() -> from(Map.of(Settings.DELAY_MAX_BACKOFF_MS.env(), "0")))
        .hasMessageContaining(Settings.DELAY_MAX_BACKOFF_MS.env());
  }
}
