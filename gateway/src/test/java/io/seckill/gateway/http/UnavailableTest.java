package io.seckill.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class UnavailableTest {

  @Test
  void timeoutsExhaustedPoolsAndRefusedConnectionsAreUnavailability() {
    assertThat(Unavailable.is(new TimeoutException("x"))).isTrue();
    assertThat(Unavailable.is(new ConnectionPoolTooBusyException("busy"))).isTrue();
    assertThat(Unavailable.is(new RuntimeException("wrapped", new ConnectException("Connection refused")))).isTrue();
    assertThat(Unavailable.is(new IllegalStateException("Timeout waiting for connection"))).isTrue();
  }

  @Test
  void aBugIsNotUnavailability() {
    assertThat(Unavailable.is(new NullPointerException())).isFalse();
    assertThat(Unavailable.is(new IllegalArgumentException("bad state"))).isFalse();
  }
}
