package io.seckill.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * WorkerConfig refuses out-of-range values at start, naming the variable; tests set values through
 * the same Env.
 */
class WorkerConfigTest {

  private static WorkerConfig from(Map<String, String> values) {
    return WorkerConfig.from(new Env(values));
  }

  @Test
  void the_defaults_are_valid_and_the_session_timeout_comes_from_its_setting() {
    WorkerConfig defaults = from(Map.of());
    assertThat(defaults.sessionTimeout())
        .isEqualTo(
            Duration.ofMillis(Long.parseLong(Settings.WORKER_SESSION_TIMEOUT_MS.defaultValue())));
    WorkerConfig slow = from(Map.of(Settings.WORKER_SESSION_TIMEOUT_MS.env(), "45000"));
    assertThat(slow.sessionTimeout()).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void a_zero_concurrency_is_refused_naming_its_variable() {
    assertThatThrownBy(() -> from(Map.of(Settings.WORKER_CONCURRENCY.env(), "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Settings.WORKER_CONCURRENCY.env())
        .hasMessageContaining("between 1 and");
  }

  @Test
  void a_batch_size_past_the_bound_is_refused() {
    assertThatThrownBy(
            () ->
                from(
                    Map.of(
                        Settings.WORKER_BATCH_SIZE.env(),
                        Integer.toString(WorkerConfig.MAX_BATCH_SIZE + 1))))
        .hasMessageContaining(Settings.WORKER_BATCH_SIZE.env());
  }

  @Test
  void a_session_timeout_kafka_cannot_take_as_an_int_is_refused() {
    assertThatThrownBy(() -> from(Map.of(Settings.WORKER_SESSION_TIMEOUT_MS.env(), "3000000000")))
        .hasMessageContaining(Settings.WORKER_SESSION_TIMEOUT_MS.env());
  }

  @Test
  void a_zero_back_off_is_refused() {
    assertThatThrownBy(() -> from(Map.of(Settings.WORKER_MAX_BACKOFF_MS.env(), "0")))
        .hasMessageContaining(Settings.WORKER_MAX_BACKOFF_MS.env());
  }

  @Test
  void a_linger_or_fetch_wait_past_a_second_and_a_zero_fetch_size_are_refused() {
    assertThatThrownBy(() -> from(Map.of(Settings.WORKER_LINGER_MS.env(), "1001")))
        .hasMessageContaining(Settings.WORKER_LINGER_MS.env());
    assertThatThrownBy(() -> from(Map.of(Settings.WORKER_FETCH_MAX_WAIT_MS.env(), "5000")))
        .hasMessageContaining(Settings.WORKER_FETCH_MAX_WAIT_MS.env());
    assertThatThrownBy(() -> from(Map.of(Settings.WORKER_FETCH_MIN_BYTES.env(), "0")))
        .hasMessageContaining(Settings.WORKER_FETCH_MIN_BYTES.env());
    WorkerConfig set =
        from(
            Map.of(
                Settings.WORKER_LINGER_MS.env(), "20",
                Settings.WORKER_FETCH_MIN_BYTES.env(), "1",
                Settings.WORKER_FETCH_MAX_WAIT_MS.env(), "0"));
    assertThat(set.linger()).isEqualTo(Duration.ofMillis(20));
    assertThat(set.fetchMinBytes()).isEqualTo(1);
    assertThat(set.fetchMaxWait()).isZero();
  }
}
