package io.seckill.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwtSecretTest {
  private static Env with(String secret) {
    return new Env(secret == null ? Map.of() : Map.of(Settings.JWT_SECRET.env(), secret));
  }

  @Test
  void aMissingEmptyOrBlankSecretIsRefusedByName() {
    for (String s : new String[] {null, "", "   "}) {
      assertThatThrownBy(() -> JwtSecret.requireStrong(with(s)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("SECKILL_JWT_SECRET")
          .hasMessageContaining("not set");
    }
  }

  @Test
  void thePublicDefaultIsRefusedEvenWhenGivenExplicitly() {
    assertThatThrownBy(() -> JwtSecret.requireStrong(with(Settings.JWT_SECRET.defaultValue())))
        .hasMessageContaining("SECKILL_JWT_SECRET")
        .hasMessageContaining("public development default");
  }

  @Test
  void aSecretUnder32BytesIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> JwtSecret.requireStrong(with("abcdefghijkl")))
        .hasMessageContaining("SECKILL_JWT_SECRET")
        .hasMessageContaining("12 bytes")
        .hasMessageNotContaining("abcdefghijkl");
    // Bytes, not characters: 16 two-byte characters are exactly 32 bytes.
    assertThatThrownBy(() -> JwtSecret.requireStrong(with("é".repeat(15))))
        .hasMessageContaining("30 bytes");
    assertThat(JwtSecret.requireStrong(with("é".repeat(16)))).isEqualTo("é".repeat(16));
  }

  @Test
  void a32ByteSecretIsAccepted() {
    String secret = "0123456789abcdef0123456789abcdef";
    assertThat(JwtSecret.requireStrong(with(secret))).isEqualTo(secret);
  }
}
