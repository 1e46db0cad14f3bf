package io.seckill.platform.contract;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * An admitted order on the orders topic (key = order id). Everything the worker needs to write the
 * row, so it never looks the sale up.
 */
public record OrderMessage(
    long orderId,
    long saleId,
    String userId,
    int quantity,
    long admittedAtMillis,
    int paymentTimeoutSeconds) {

  public byte[] toBytes() {
    return new JsonObject()
        .put("orderId", Long.toString(orderId))
        .put("saleId", Long.toString(saleId))
        .put("userId", userId)
        .put("quantity", quantity)
        .put("admittedAt", admittedAtMillis)
        .put("paymentTimeoutSeconds", paymentTimeoutSeconds)
        .encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  public static OrderMessage parse(byte[] bytes) {
    if (bytes == null) throw new MalformedMessageException("empty value");
    try {
      JsonObject j = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
      OrderMessage m =
          new OrderMessage(
              Wire.id(j, "orderId"),
              Wire.id(j, "saleId"),
              Wire.text(j, "userId"),
              Wire.positiveInt(j, "quantity"),
              Wire.positiveLong(j, "admittedAt"),
              Wire.positiveInt(j, "paymentTimeoutSeconds"));
      return m;
    } catch (DecodeException | ClassCastException e) {
      throw new MalformedMessageException("not an order message: " + e.getMessage());
    }
  }
}
