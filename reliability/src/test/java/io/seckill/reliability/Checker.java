package io.seckill.reliability;

import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What buyers were told against what PostgreSQL holds (Jepsen-style): lost = answered 202, no row; duplicated = one
 * admission answered with several order ids, or one order id with several rows; unexpected = a row nobody was
 * answered 202 for, unless that buyer's outcome was uncertain (then it is recovered); oversold = units held by
 * PENDING_PAYMENT and PAID rows beyond the sale's stock.
 */
record Checker(long accepted, long rows, long lost, long duplicated, long unexpected, long recovered, long oversold) {

  /** @param rows order id -> row (userId, status, quantity) */
  static Checker check(Ledger ledger, Map<Long, JsonObject> rows, int duplicateRows, long initialStock) {
    long lost = ledger.accepted.keySet().stream().filter(id -> !rows.containsKey(id)).count();
    long duplicated = ledger.admissions.values().stream().filter(ids -> ids.size() > 1).count() + duplicateRows;
    Set<Long> extra = new HashSet<>(rows.keySet());
    extra.removeAll(ledger.accepted.keySet());
    long recovered = extra.stream().filter(id -> ledger.uncertainUsers.contains(rows.get(id).getString("userId"))).count();
    long held = rows.values().stream().filter(r -> "PENDING_PAYMENT".equals(r.getString("status")) || "PAID".equals(r.getString("status")))
        .mapToLong(r -> r.getLong("quantity", 1L)).sum();
    return new Checker(ledger.accepted.size(), rows.size(), lost, duplicated, extra.size() - recovered, recovered,
        Math.max(0, held - initialStock));
  }

  boolean clean() {
    return lost == 0 && duplicated == 0 && unexpected == 0 && oversold == 0;
  }
}
