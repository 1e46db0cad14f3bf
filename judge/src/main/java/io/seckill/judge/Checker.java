package io.seckill.judge;

import io.seckill.judge.Attempt.Kind;
import io.seckill.judge.Attempt.Outcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jepsen-style classification of a run: what each client was told (the ledger's attempts) against
 * the order rows that exist afterwards. The demo, the load tests and the fault suite all judge with
 * it.
 *
 * <ul>
 *   <li>lost: a 202'd order id with no row;
 *   <li>duplicated: one admission with more than one order (one user + Idempotency-Key answered
 *       with several order ids, or one order id with several rows);
 *   <li>unexpected: a row that no 202 accounts for and no unanswered request of its user can
 *       explain;
 *   <li>recovered: a row that an unanswered request (timeout, connection failure, 5xx but 503)
 *       explains — the client could not know, and the system kept it; not an error. Unanswered
 *       retries of one key explain one row;
 *   <li>contradicted: an acknowledged payment whose order is not PAID, an acknowledged cancel whose
 *       order is not CANCELLED, a row under another user than the one it was admitted for, or a
 *       retry of an admitted Idempotency-Key answered sold-out or limit-reached (a retry with the
 *       same key returns the same body) — sent after the 202 was answered (for an untimed attempt,
 *       {@code atMillis} is when its answer was recorded);
 *   <li>oversold: units held by PENDING_PAYMENT and PAID rows beyond the sale's stock.
 * </ul>
 *
 * Pure: no servers, so every verdict is unit-tested with crafted inputs.
 */
public final class Checker {
  /** Pass as the stock when the run does not know it: oversold is then not judged (always 0). */
  public static final long STOCK_UNKNOWN = -1;

  private static final int EXAMPLES = 5;
  private static final Set<String> HOLDING = Set.of("PENDING_PAYMENT", "PAID");

  /** One row of the admin order listing; quantity 1 unless the listing says otherwise. */
  public record OrderRow(String orderId, String userId, String status, int quantity) {
    public OrderRow(String orderId, String userId, String status) {
      this(orderId, userId, status, 1);
    }
  }

  /**
   * @param accepted purchases answered 202 (replays of one key included)
   * @param admissions distinct order ids answered 202
   * @param rows order rows (a duplicated id counted as often as it appears)
   */
  public record Report(
      int requests,
      int purchases,
      int accepted,
      int admissions,
      int refused,
      int indeterminate,
      int rows,
      int ok,
      int lost,
      int duplicated,
      int unexpected,
      int recovered,
      int contradicted,
      long oversold,
      Map<String, List<String>> examples) {
    public long errors() {
      return lost + duplicated + unexpected + contradicted + oversold;
    }

    public boolean passed() {
      return errors() == 0;
    }

    /** One line per count, and up to five examples per kind of error. */
    public String render() {
      StringBuilder b = new StringBuilder();
      b.append(
          String.format(
              "Checker: %d requests (%d purchases) against %d order rows%n",
              requests, purchases, rows));
      b.append(
          String.format(
              "  purchases: accepted %d (%d distinct admissions), refused %d, indeterminate %d%n",
              accepted, admissions, refused, indeterminate));
      b.append(
          String.format(
              "  ok %d | lost %d | duplicated %d | unexpected %d | recovered %d | contradicted %d"
                  + " | oversold %d  -> %s%n",
              ok,
              lost,
              duplicated,
              unexpected,
              recovered,
              contradicted,
              oversold,
              passed() ? "PASS" : "FAIL"));
      examples.forEach(
          (k, v) ->
              b.append("  e.g. ").append(k).append(": ").append(String.join(", ", v)).append('\n'));
      return b.toString();
    }

    /**
     * The counts that must be zero, on one line: "lost 0, duplicated 0, unexpected 0, contradicted
     * 0, oversold 0".
     */
    public String summary() {
      return "lost "
          + lost
          + ", duplicated "
          + duplicated
          + ", unexpected "
          + unexpected
          + ", contradicted "
          + contradicted
          + ", oversold "
          + oversold
          + " (recovered "
          + recovered
          + ")";
    }
  }

  private Checker() {}

  /**
   * @param stock the sale's initial stock, or {@link #STOCK_UNKNOWN}
   */
  public static Report check(Collection<Attempt> attempts, Collection<OrderRow> rows, long stock) {
    Map<String, List<String>> examples = new LinkedHashMap<>();

    Map<String, List<OrderRow>> rowsById = new LinkedHashMap<>();
    for (OrderRow r : rows) rowsById.computeIfAbsent(r.orderId(), k -> new ArrayList<>(1)).add(r);

    int duplicated = 0;
    for (var e : rowsById.entrySet()) {
      if (e.getValue().size() > 1) {
        duplicated += e.getValue().size() - 1;
        example(
            examples,
            "duplicated",
            "order " + e.getKey() + " has " + e.getValue().size() + " rows");
      }
    }

    int purchases = 0, accepted = 0, refused = 0, indeterminate = 0, contradicted = 0;
    // Replays of one key answer the same order id again: one admission, several 202s.
    Map<String, String> admittedUser = new LinkedHashMap<>();
    Map<String, Set<String>> ordersByKey = new HashMap<>();
    Map<String, Long> firstAdmittedAt = new HashMap<>();
    Map<String, Set<String>> unansweredByUser = new HashMap<>();
    int keyless = 0;
    for (Attempt a : attempts) {
      if (a.kind() != Kind.PURCHASE) continue;
      purchases++;
      switch (a.outcome()) {
        case ACCEPTED -> {
          accepted++;
          admittedUser.putIfAbsent(a.orderId(), a.userId());
          if (a.idempotencyKey() != null) {
            String k = a.userId() + "\u0000" + a.idempotencyKey();
            ordersByKey.computeIfAbsent(k, x -> new HashSet<>()).add(a.orderId());
            firstAdmittedAt.merge(k, a.answeredAtMillis(), Math::min);
          }
        }
        case REFUSED -> refused++;
        case INDETERMINATE -> {
          indeterminate++;
          // Unanswered retries of one key can make at most one order; keyless attempts one each.
          String token = a.idempotencyKey() != null ? "k:" + a.idempotencyKey() : "n:" + keyless++;
          unansweredByUser.computeIfAbsent(a.userId(), k -> new HashSet<>()).add(token);
        }
      }
    }

    for (var e : ordersByKey.entrySet()) {
      if (e.getValue().size() > 1) {
        duplicated += e.getValue().size() - 1;
        example(
            examples,
            "duplicated",
            "user+key " + e.getKey().replace('\u0000', '/') + " -> orders " + e.getValue());
      }
    }

    int ok = 0, lost = 0;
    for (var e : admittedUser.entrySet()) {
      List<OrderRow> found = rowsById.get(e.getKey());
      if (found == null) {
        lost++;
        example(examples, "lost", "order " + e.getKey() + " (user " + e.getValue() + ")");
      } else {
        ok++;
        if (!found.get(0).userId().equals(e.getValue())) {
          contradicted++;
          example(
              examples,
              "contradicted",
              "order "
                  + e.getKey()
                  + " admitted for "
                  + e.getValue()
                  + " but row says "
                  + found.get(0).userId());
        }
      }
    }

    Map<String, Integer> explainable = new HashMap<>();
    unansweredByUser.forEach((user, tokens) -> explainable.put(user, tokens.size()));
    int unexpected = 0, recovered = 0;
    for (var e : rowsById.entrySet()) {
      if (admittedUser.containsKey(e.getKey())) continue;
      OrderRow r = e.getValue().get(0);
      int left = explainable.getOrDefault(r.userId(), 0);
      if (left > 0) {
        explainable.put(r.userId(), left - 1);
        recovered++;
      } else {
        unexpected++;
        example(
            examples,
            "unexpected",
            "order " + e.getKey() + " (user " + r.userId() + ", " + r.status() + ")");
      }
    }

    for (Attempt a : attempts) {
      // Rate limits and bad input come before the key is looked at; a verdict on the sale itself
      // must not.
      if (a.kind() != Kind.PURCHASE || a.idempotencyKey() == null || a.status() != 409) continue;
      if (!"sold-out".equals(a.problem()) && !"limit-reached".equals(a.problem())) continue;
      // Only a refusal asked for after the key's 202 came: a sold-out before it took nothing, and a
      // retry once stock came
      // back may be admitted.
      String k = a.userId() + "\u0000" + a.idempotencyKey();
      Set<String> admitted = ordersByKey.get(k);
      if (admitted != null && a.atMillis() >= firstAdmittedAt.get(k)) {
        contradicted++;
        example(
            examples,
            "contradicted",
            "retry of key "
                + a.idempotencyKey()
                + " (user "
                + a.userId()
                + ", order "
                + admitted.iterator().next()
                + ") answered "
                + a.problem());
      }
    }

    for (Attempt a : attempts) {
      if ((a.kind() != Kind.PAYMENT && a.kind() != Kind.CANCEL) || a.outcome() != Outcome.ACCEPTED)
        continue;
      String want = a.kind() == Kind.PAYMENT ? "PAID" : "CANCELLED";
      List<OrderRow> found = rowsById.get(a.orderId());
      String have = found == null ? "no row" : found.get(0).status();
      if (!want.equals(have)) {
        contradicted++;
        example(
            examples,
            "contradicted",
            a.kind().label() + " of order " + a.orderId() + " acknowledged, but it is " + have);
      }
    }

    long held = 0;
    for (List<OrderRow> same : rowsById.values()) {
      if (HOLDING.contains(same.get(0).status())) held += same.get(0).quantity();
    }
    long oversold = stock == STOCK_UNKNOWN ? 0 : Math.max(0, held - stock);
    if (oversold > 0)
      example(examples, "oversold", held + " units held by unpaid and paid orders, stock " + stock);

    return new Report(
        attempts.size(),
        purchases,
        accepted,
        admittedUser.size(),
        refused,
        indeterminate,
        rows.size(),
        ok,
        lost,
        duplicated,
        unexpected,
        recovered,
        contradicted,
        oversold,
        examples);
  }

  private static void example(Map<String, List<String>> examples, String kind, String text) {
    List<String> list = examples.computeIfAbsent(kind, k -> new ArrayList<>());
    if (list.size() < EXAMPLES) list.add(text);
  }
}
