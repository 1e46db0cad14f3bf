package io.seckill.launcher.demo;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Jepsen-style classification of what buyers were told against what PostgreSQL holds: lost (answered 202, no row),
 * duplicated (one admission, several order ids), unexpected (a row nobody was answered 202 for, unless that buyer's
 * request timed out: then it is recovered).
 */
record Checker(long lost, long duplicated, long unexpected, long recovered) {

  /**
   * @param accepted order id -> user, for every 202
   * @param admissions admission (user + Idempotency-Key) -> order ids it was answered with
   * @param timedOutUsers users with a purchase that got no answer
   * @param rows order id -> user, every row of the sale
   */
  static Checker classify(Map<Long, String> accepted, Map<String, Set<Long>> admissions, Set<String> timedOutUsers,
                          Map<Long, String> rows) {
    long lost = accepted.keySet().stream().filter(id -> !rows.containsKey(id)).count();
    long duplicated = admissions.values().stream().filter(ids -> ids.size() > 1).count();
    Set<Long> extra = new HashSet<>(rows.keySet());
    extra.removeAll(accepted.keySet());
    long recovered = extra.stream().filter(id -> timedOutUsers.contains(rows.get(id))).count();
    return new Checker(lost, duplicated, extra.size() - recovered, recovered);
  }

  boolean clean() {
    return lost == 0 && duplicated == 0 && unexpected == 0;
  }
}
