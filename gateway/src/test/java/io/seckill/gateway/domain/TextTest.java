package io.seckill.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextTest {

  @ParameterizedTest
  @ValueSource(strings = {"a\u0000b", "\u0000", "tab\there", "line\nbreak", "cr\r", "esc\u001b[31m", "del\u007f", "c1\u0085",
      "lone \ud800 high", "lone \udc00 low", "ends high \ud83d"})
  void controlCharactersAndLoneSurrogatesAreNotStorable(String s) {
    assertThat(Text.whyNotStorable(s)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice", "ключ", "k\u00e9y", "emoji \ud83d\ude00 pair", "spaces are fine", "\u2028 is not a control"})
  void printableUnicodeIsStorable(String s) {
    assertThat(Text.whyNotStorable(s)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"paymentRef\":\"r\\u0000\"}", "{\"paymentRef\":\"r\\ud800\"}", "{\"paymentRef\":\"\\u0007bell\"}"})
  void aPaymentReferenceWithAControlCharacterOrALoneSurrogateIsAnInvalidRequest(String body) {
    assertThatThrownBy(() -> PaymentRequest.parse(Buffer.buffer(body)))
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem()).isEqualTo(Problem.INVALID_REQUEST))
        .hasMessageContaining("paymentRef");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tv\\u0000", "tv\\udfff", "tv\\n"})
  void aSaleItemWithAControlCharacterOrALoneSurrogateIsAnInvalidRequest(String item) {
    String body = "{\"item\":\"" + item + "\",\"stock\":5,\"priceCents\":100,\"startsAt\":\"2026-01-01T00:00:00Z\","
        + "\"endsAt\":\"2026-01-02T00:00:00Z\"}";
    assertThatThrownBy(() -> SaleRequest.parse(Buffer.buffer(body), 42))
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem()).isEqualTo(Problem.INVALID_REQUEST))
        .hasMessageContaining("item");
  }

  @ParameterizedTest
  @ValueSource(strings = {"k\u0000", "k\u001f", "k\ud800"})
  void anIdempotencyKeyWithAControlCharacterIsAnInvalidRequest(String key) {
    assertThatThrownBy(() -> PurchaseRequest.parse(Buffer.buffer(""), key))
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem()).isEqualTo(Problem.INVALID_REQUEST));
  }
}
