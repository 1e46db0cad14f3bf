package io.seckill.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void constraint_and_data_errors_are_poison() {
    assertThat(Failures.isPoison(new PgException("fk", "ERROR", "23503", "detail"))).isTrue();
    assertThat(Failures.isPoison(new PgException("out of range", "ERROR", "22008", null))).isTrue();
    assertThat(Failures.reason(new PgException("fk", "ERROR", "23503", null)))
        .startsWith("SQLSTATE 23503");
  }

  @Test
  void server_trouble_is_not_poison() {
    assertThat(Failures.isPoison(new PgException("terminating connection", "FATAL", "57P01", null)))
        .isFalse();
    assertThat(Failures.isPoison(new PgException("connection failure", "FATAL", "08006", null)))
        .isFalse();
    assertThat(Failures.isPoison(new VertxException("Connection refused"))).isFalse();
    assertThat(Failures.isPoison(new NoStackTraceTimeoutException("timeout"))).isFalse();
    assertThat(Failures.isCancelled(new CancellationException())).isTrue();
  }
}
