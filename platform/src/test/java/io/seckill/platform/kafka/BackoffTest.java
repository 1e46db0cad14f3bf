package io.seckill.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void back_off_grows_then_stays_under_the_cap() {
    Backoff b = new Backoff(Duration.ofMillis(2000));
    assertThat(b.delayMillis(1)).isBetween(37L, 50L);
    assertThat(b.delayMillis(3)).isBetween(150L, 200L);
    for (int attempt = 1; attempt < 100; attempt++)
      assertThat(b.delayMillis(attempt)).isBetween(1L, 2000L);
    assertThat(b.delayMillis(60)).isGreaterThanOrEqualTo(1500L);
  }

  @Test
  void a_cap_under_a_millisecond_is_refused() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
