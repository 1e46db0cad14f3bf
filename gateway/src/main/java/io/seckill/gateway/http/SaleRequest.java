package io.seckill.gateway.http;

import io.seckill.platform.store.Sale;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** A validated POST /admin/sales body. */
public final class SaleRequest {
  public static final int MAX_STOCK = 10_000_000;
  private static final int MAX_ITEM_LENGTH = 200;
  private static final long MAX_PRICE_CENTS = 1_000_000_000_000L;
  private static final long MAX_PAYMENT_TIMEOUT_SECONDS = 86_400;
  private static final long DEFAULT_PAYMENT_TIMEOUT_SECONDS = 900;
  private static final int MAX_INSTANT_LENGTH = 40;
  private static final Set<String> FIELDS =
      Set.of(
          "item",
          "stock",
          "priceCents",
          "startsAt",
          "endsAt",
          "perUserLimit",
          "paymentTimeoutSeconds");

  private SaleRequest() {}

  public static Sale parse(Buffer body, long saleId) {
    JsonObject json = JsonBodies.object(body, false, FIELDS);
    String item = JsonBodies.text(json, "item", MAX_ITEM_LENGTH);
    int stock = (int) JsonBodies.integer(json, "stock", 1, MAX_STOCK, null);
    long price = JsonBodies.integer(json, "priceCents", 0, MAX_PRICE_CENTS, null);
    Instant startsAt = instant(json, "startsAt");
    Instant endsAt = instant(json, "endsAt");
    if (!endsAt.isAfter(startsAt))
      throw Problem.INVALID_REQUEST.with("'endsAt' must be after 'startsAt'");
    int limit = (int) JsonBodies.integer(json, "perUserLimit", 1, PurchaseRequest.MAX_QUANTITY, 1L);
    int timeout =
        (int)
            JsonBodies.integer(
                json,
                "paymentTimeoutSeconds",
                1,
                MAX_PAYMENT_TIMEOUT_SECONDS,
                DEFAULT_PAYMENT_TIMEOUT_SECONDS);
    return new Sale(saleId, item, stock, price, startsAt, endsAt, limit, timeout);
  }

  private static Instant instant(JsonObject json, String field) {
    String text = JsonBodies.text(json, field, MAX_INSTANT_LENGTH);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw Problem.INVALID_REQUEST.with(
          "'" + field + "' must be an ISO-8601 UTC instant such as 2026-11-21T10:00:00Z");
    }
  }
}
