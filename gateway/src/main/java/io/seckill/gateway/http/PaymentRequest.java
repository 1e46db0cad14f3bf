package io.seckill.gateway.http;

import io.vertx.core.buffer.Buffer;
import java.util.Set;

/** A validated payment: body {paymentRef}. */
public record PaymentRequest(String paymentRef) {
  /** The payment_ref column's width. */
  public static final int MAX_REF_LENGTH = 100;

  public static PaymentRequest parse(Buffer body) {
    return new PaymentRequest(
        JsonBodies.text(
            JsonBodies.object(body, false, Set.of("paymentRef")), "paymentRef", MAX_REF_LENGTH));
  }
}
