package io.seckill.platform.contract;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** A payment deadline on the delay topic (key = order id): cancel the order at dueAt unless it was paid. */
public record DeadlineMessage(long orderId, long saleId, long dueAtMillis) {

  public byte[] toBytes() {
    return new JsonObject()
        .put("orderId", Long.toString(orderId))
        .put("saleId", Long.toString(saleId))
        .put("dueAt", dueAtMillis)
        .encode().getBytes(StandardCharsets.UTF_8);
  }

  public static DeadlineMessage parse(byte[] bytes) {
    if (bytes == null) throw new MalformedMessageException("empty value");
    try {
      JsonObject j = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
      return new DeadlineMessage(Wire.id(j, "orderId"), Wire.id(j, "saleId"), Wire.positiveLong(j, "dueAt"));
    } catch (DecodeException | ClassCastException e) {
      throw new MalformedMessageException("not a deadline message: " + e.getMessage());
    }
  }
}
