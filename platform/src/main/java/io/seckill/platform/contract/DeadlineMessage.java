package io.seckill.platform.contract;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A payment deadline: cancel the order at dueAt unless it was paid. On the delay topic one record
 * carries every order of one sale due at the same millisecond (a worker's batch shares one creation
 * time, so a batch of 5,000 orders of a sale is a handful of records, not 5,000): {@code
 * {"saleId","dueAt","orderIds":[...]}}. A record of the single form {@code
 * {"orderId","saleId","dueAt"}} (written before bulk records existed) is still read.
 */
public record DeadlineMessage(long orderId, long saleId, long dueAtMillis) {

  /**
   * Most orders in one record: 1,000 ids are about 22 kB, far below the broker's 1 MB record limit.
   */
  public static final int MAX_ORDERS_PER_RECORD = 1000;

  /** Orders of one sale due at one instant: the value of one delay record. */
  public record Bulk(long saleId, long dueAtMillis, List<Long> orderIds) {
    public byte[] toBytes() {
      JsonArray ids = new JsonArray(new ArrayList<>(orderIds.size()));
      for (long id : orderIds) ids.add(Long.toString(id));
      return new JsonObject()
          .put("saleId", Long.toString(saleId))
          .put("dueAt", dueAtMillis)
          .put("orderIds", ids)
          .encode()
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The single form, one order per record. */
  public byte[] toBytes() {
    return new JsonObject()
        .put("orderId", Long.toString(orderId))
        .put("saleId", Long.toString(saleId))
        .put("dueAt", dueAtMillis)
        .encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Groups deadlines by (sale, dueAt), in their order of first appearance, at most maxPerRecord
   * orders a group.
   */
  public static List<Bulk> bulk(List<DeadlineMessage> deadlines, int maxPerRecord) {
    if (maxPerRecord < 1) throw new IllegalArgumentException("maxPerRecord must be at least 1");
    Map<List<Long>, List<Long>> groups = new LinkedHashMap<>();
    for (DeadlineMessage d : deadlines) {
      groups
          .computeIfAbsent(List.of(d.saleId(), d.dueAtMillis()), k -> new ArrayList<>())
          .add(d.orderId());
    }
    List<Bulk> out = new ArrayList<>();
    groups.forEach(
        (key, ids) -> {
          for (int i = 0; i < ids.size(); i += maxPerRecord) {
            out.add(
                new Bulk(
                    key.get(0),
                    key.get(1),
                    List.copyOf(ids.subList(i, Math.min(ids.size(), i + maxPerRecord)))));
          }
        });
    return out;
  }

  /** Reads a record of the single form only. */
  public static DeadlineMessage parse(byte[] bytes) {
    List<DeadlineMessage> all = parseAll(bytes);
    if (all.size() != 1)
      throw new MalformedMessageException("expected one deadline, found " + all.size());
    return all.get(0);
  }

  /**
   * Reads a record of either form: every order it carries, all with the record's sale and dueAt.
   */
  public static List<DeadlineMessage> parseAll(byte[] bytes) {
    if (bytes == null) throw new MalformedMessageException("empty value");
    try {
      JsonObject j = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
      long saleId = Wire.id(j, "saleId");
      long dueAt = Wire.positiveLong(j, "dueAt");
      if (!j.containsKey("orderIds"))
        return List.of(new DeadlineMessage(Wire.id(j, "orderId"), saleId, dueAt));
      JsonArray ids = j.getJsonArray("orderIds");
      if (ids == null || ids.isEmpty())
        throw new MalformedMessageException("orderIds missing or empty");
      List<DeadlineMessage> out = new ArrayList<>(ids.size());
      for (int i = 0; i < ids.size(); i++) {
        out.add(
            new DeadlineMessage(Wire.id(ids.getValue(i), "orderIds[" + i + "]"), saleId, dueAt));
      }
      return out;
    } catch (DecodeException | ClassCastException e) {
      throw new MalformedMessageException("not a deadline message: " + e.getMessage());
    }
  }
}
