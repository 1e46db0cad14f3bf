package io.seckill.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class JwtTest {
  @Test
  void signsHs256OverHeaderAndPayload() throws Exception {
    String token = new Jwt("s3cret").user("buyer-1", 60);
    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)));
    assertThat(parts[2]).isEqualTo(expected);
    String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(header).contains("\"alg\":\"HS256\"");
    assertThat(payload).contains("\"sub\":\"buyer-1\"").contains("\"exp\":");
  }

  @Test
  void adminTokensCarryTheRole() {
    String payload =
        new String(
            Base64.getUrlDecoder().decode(new Jwt("x").admin("ops", 60).split("\\.")[1]),
            StandardCharsets.UTF_8);
    assertThat(payload).contains("\"role\":\"admin\"");
  }
}
