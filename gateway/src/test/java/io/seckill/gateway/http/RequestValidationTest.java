package io.seckill.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidationTest {

  @Test
  void anEmptyPurchaseBodyMeansOneUnit() {
    assertThat(PurchaseRequest.parse(Buffer.buffer(""), null).quantity()).isEqualTo(1);
    assertThat(PurchaseRequest.parse(Buffer.buffer("{\"quantity\":3}"), "k-1").quantity())
        .isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{",
        "[]",
        "\"x\"",
        "{\"quantity\":\"2\"}",
        "{\"quantity\":2.5}",
        "{\"quantity\":0}",
        "{\"quantity\":101}",
        "{\"quantity\":1e3}",
        "{\"quantity\":123456789012345678901234567890}",
        "{\"qty\":1}",
        "null"
      })
  void aMalformedPurchaseIsAnInvalidRequest(String body) {
    assertThatThrownBy(() -> PurchaseRequest.parse(Buffer.buffer(body), null))
        .satisfies(e -> assertThat(Problems.of(e)).isEqualTo(Problem.INVALID_REQUEST));
  }

  @Test
  void aSaleNeedsItsFieldsAndAnEndAfterItsStart() {
    String ok =
        "{\"item\":\"tv\",\"stock\":5,\"priceCents\":100,\"startsAt\":\"2026-01-01T00:00:00Z\","
            + "\"endsAt\":\"2026-01-02T00:00:00Z\"}";
    var sale = SaleRequest.parse(Buffer.buffer(ok), 42);
    assertThat(sale.perUserLimit()).isEqualTo(1);
    assertThat(sale.paymentTimeoutSeconds()).isEqualTo(900);
    assertThatThrownBy(
            () -> SaleRequest.parse(Buffer.buffer(ok.replace("2026-01-02", "2025-12-31")), 42))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("endsAt");
    assertThatThrownBy(
            () -> SaleRequest.parse(Buffer.buffer(ok.replace("\"stock\":5", "\"stock\":-5")), 42))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("stock");
    assertThatThrownBy(
            () ->
                SaleRequest.parse(
                    Buffer.buffer(ok.replace("2026-01-01T00:00:00Z", "tomorrow")), 42))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("startsAt");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"paymentRef\":\"r\\u0000\"}",
        "{\"paymentRef\":\"r\\ud800\"}",
        "{\"paymentRef\":\"\\u0007bell\"}"
      })
  void aPaymentReferenceWithAControlCharacterOrALoneSurrogateIsAnInvalidRequest(String body) {
    assertThatThrownBy(() -> PaymentRequest.parse(Buffer.buffer(body)))
        .satisfies(e -> assertThat(Problems.of(e)).isEqualTo(Problem.INVALID_REQUEST))
        .hasMessageContaining("paymentRef");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tv\\u0000", "tv\\udfff", "tv\\n"})
  void aSaleItemWithAControlCharacterOrALoneSurrogateIsAnInvalidRequest(String item) {
    String body =
        "{\"item\":\""
            + item
            + "\",\"stock\":5,\"priceCents\":100,\"startsAt\":\"2026-01-01T00:00:00Z\","
            + "\"endsAt\":\"2026-01-02T00:00:00Z\"}";
    assertThatThrownBy(() -> SaleRequest.parse(Buffer.buffer(body), 42))
        .satisfies(e -> assertThat(Problems.of(e)).isEqualTo(Problem.INVALID_REQUEST))
        .hasMessageContaining("item");
  }

  @ParameterizedTest
  @ValueSource(strings = {"k\u0000", "k\u001f", "k\ud800"})
  void anIdempotencyKeyWithAControlCharacterIsAnInvalidRequest(String key) {
    assertThatThrownBy(() -> PurchaseRequest.parse(Buffer.buffer(""), key))
        .satisfies(e -> assertThat(Problems.of(e)).isEqualTo(Problem.INVALID_REQUEST));
  }
}
