package io.seckill.judge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every request of a run and what it was told, recorded from any number of threads: the demo's
 * buyers, the load test's Gatling sessions, the fault suite's buyers and probes. The checker judges
 * the rows against it; the reports count from it.
 */
public final class Ledger {
  private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();

  public void record(Attempt a) {
    attempts.add(a);
  }

  /** The attempts so far, in the order they were recorded. */
  public List<Attempt> snapshot() {
    return new ArrayList<>(attempts);
  }

  public int requests() {
    return attempts.size();
  }

  /** Order id -> user of every purchase answered 202, in the order the answers came. */
  public Map<String, String> accepted() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Attempt a : attempts) {
      if (a.kind() == Attempt.Kind.PURCHASE && a.outcome() == Attempt.Outcome.ACCEPTED)
        out.putIfAbsent(a.orderId(), a.userId());
    }
    return out;
  }

  /** Requests by {@link Attempt#label()}, sorted by label. */
  public Map<String, Long> outcomes() {
    Map<String, Long> out = new TreeMap<>();
    for (Attempt a : attempts) out.merge(a.label(), 1L, Long::sum);
    return out;
  }

  /**
   * Requests of this kind answered with this status ({@link Attempt#NO_ANSWER} counts the
   * unanswered).
   */
  public long count(Attempt.Kind kind, int status) {
    return attempts.stream().filter(a -> a.kind() == kind && a.status() == status).count();
  }

  /** Answers with this exact status, of every kind. */
  public long answered(int status) {
    return attempts.stream().filter(a -> a.status() == status).count();
  }

  /**
   * Nearest-rank percentile, in ms, of the timed and answered requests of this kind; 0 when there
   * are none.
   */
  public double percentileMillis(Attempt.Kind kind, double p) {
    List<Long> l =
        attempts.stream()
            .filter(a -> a.kind() == kind && a.answered() && a.micros() >= 0)
            .map(Attempt::micros)
            .sorted()
            .toList();
    if (l.isEmpty()) return 0;
    int rank = (int) Math.ceil(p / 100.0 * l.size()) - 1;
    return l.get(Math.max(0, Math.min(l.size() - 1, rank))) / 1000.0;
  }

  /**
   * The most requests of this kind answered in one wall-clock second: the load the gateways
   * actually carried.
   */
  public long peakAnsweredPerSecond(Attempt.Kind kind) {
    Map<Long, Long> bySecond = new HashMap<>();
    for (Attempt a : attempts) {
      if (a.kind() == kind && a.answered())
        bySecond.merge(a.answeredAtMillis() / 1000, 1L, Long::sum);
    }
    return bySecond.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /**
   * Every answer by status ("none" = no answer), and for the 5xx and the unanswered when they came
   * (answered, or given up on), in seconds from {@code fromMillis} (a fault's injection): "202:
   * 9000, 409: 2000, 500: 0, 503: 41 (0.1 to 1.9 s), 504: 0, none: 3 (...)". 500, 503 and 504 are
   * always listed, so that a zero is visible.
   */
  public String answersByStatus(long fromMillis) {
    Map<Integer, long[]> by = new TreeMap<>();
    for (Attempt a : attempts) {
      long[] c =
          by.computeIfAbsent(a.status(), k -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
      c[0]++;
      long at = a.answeredAtMillis() - fromMillis;
      c[1] = Math.min(c[1], at);
      c[2] = Math.max(c[2], at);
    }
    for (int always : new int[] {500, 503, 504}) by.putIfAbsent(always, new long[] {0, 0, 0});
    StringBuilder out = new StringBuilder();
    by.forEach(
        (status, c) -> {
          if (out.length() > 0) out.append(", ");
          out.append(status == Attempt.NO_ANSWER ? "none" : Integer.toString(status))
              .append(": ")
              .append(c[0]);
          if ((status == Attempt.NO_ANSWER || status >= 500) && c[0] > 0) {
            out.append(String.format(" (%.1f to %.1f s)", c[1] / 1000.0, c[2] / 1000.0));
          }
        });
    return out.toString();
  }

  /**
   * The problem slug at the end of a problem type URI ("https://…/problems/sold-out" → "sold-out");
   * null if none.
   */
  public static String slug(String type) {
    if (type == null || type.isBlank()) return null;
    return type.substring(type.lastIndexOf('/') + 1);
  }
}
