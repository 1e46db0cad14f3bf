package io.seckill.gateway.http;

import io.seckill.gateway.domain.Text;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/** A validated purchase: body {quantity} (default 1) and an optional Idempotency-Key header. */
public record PurchaseRequest(int quantity, String idempotencyKey) {
  public static final int MAX_QUANTITY = 100;
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  public static PurchaseRequest parse(Buffer body, String idempotencyKey) {
    JsonObject json = JsonBodies.object(body, true, Set.of("quantity"));
    int quantity = (int) JsonBodies.integer(json, "quantity", 1, MAX_QUANTITY, 1L);
    if (idempotencyKey != null
        && (Text.whyNotStorable(idempotencyKey) != null
            || !KEY.matcher(idempotencyKey).matches())) {
      throw Problem.INVALID_REQUEST.with(
          "Idempotency-Key must be 1-64 characters of A-Z a-z 0-9 . _ : -");
    }
    return new PurchaseRequest(quantity, idempotencyKey);
  }
}
