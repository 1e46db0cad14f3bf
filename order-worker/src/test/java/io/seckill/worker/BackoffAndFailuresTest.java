package io.seckill.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class BackoffAndFailuresTest {

  @Test
  void back_off_grows_then_stays_under_the_cap() {
    Backoff b = new Backoff(Duration.ofMillis(2000));
    assertThat(b.delayMillis(1)).isBetween(37L, 50L);
    assertThat(b.delayMillis(3)).isBetween(150L, 200L);
    for (int attempt = 1; attempt < 100; attempt++) assertThat(b.delayMillis(attempt)).isBetween(1L, 2000L);
    assertThat(b.delayMillis(60)).isGreaterThanOrEqualTo(1500L);
  }

  @Test
  void constraint_and_data_errors_are_poison() {
    assertThat(Failures.isPoison(new PgException("fk", "ERROR", "23503", "detail"))).isTrue();
    assertThat(Failures.isPoison(new PgException("out of range", "ERROR", "22008", null))).isTrue();
    assertThat(Failures.reason(new PgException("fk", "ERROR", "23503", null))).startsWith("SQLSTATE 23503");
  }

  @Test
  void server_trouble_is_not_poison() {
    assertThat(Failures.isPoison(new PgException("terminating connection", "FATAL", "57P01", null))).isFalse();
    assertThat(Failures.isPoison(new PgException("connection failure", "FATAL", "08006", null))).isFalse();
    assertThat(Failures.isPoison(new VertxException("Connection refused"))).isFalse();
    assertThat(Failures.isPoison(new NoStackTraceTimeoutException("timeout"))).isFalse();
    assertThat(Failures.isCancelled(new CancellationException())).isTrue();
  }
}
