package io.seckill.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

  @Test
  void anIntBeyondIntsRangeIsRefusedNamingItsVariableInsteadOfTruncated() {
    Env env = new Env(Map.of(Settings.MAX_CONNECTIONS.env(), "4294967297"));

    assertThatThrownBy(() -> env.getInt(Settings.MAX_CONNECTIONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SECKILL_MAX_CONNECTIONS")
        .hasMessageContaining("4294967297");
    assertThat(env.getLong(Settings.MAX_CONNECTIONS)).isEqualTo(4_294_967_297L);
  }

  @Test
  void theEdgesOfIntsRangeAreRead() {
    assertThat(new Env(Map.of(Settings.HTTP_PORT.env(), "2147483647")).getInt(Settings.HTTP_PORT))
        .isEqualTo(Integer.MAX_VALUE);
    assertThat(new Env(Map.of(Settings.HTTP_PORT.env(), "-2147483648")).getInt(Settings.HTTP_PORT))
        .isEqualTo(Integer.MIN_VALUE);
  }

  @Test
  void aNumberThatIsNotOneIsRefusedNamingItsVariable() {
    assertThatThrownBy(
            () -> new Env(Map.of(Settings.USER_BURST.env(), "ten")).getInt(Settings.USER_BURST))
        .hasMessageContaining("SECKILL_USER_BURST")
        .hasMessageContaining("ten");
    assertThatThrownBy(
            () ->
                new Env(Map.of(Settings.USER_RATE_PER_SECOND.env(), "fast"))
                    .getDouble(Settings.USER_RATE_PER_SECOND))
        .hasMessageContaining("SECKILL_USER_RATE_PER_SECOND")
        .hasMessageContaining("fast");
    assertThat(new Env(Map.of()).getDouble(Settings.USER_RATE_PER_SECOND)).isEqualTo(5.0);
  }
}
