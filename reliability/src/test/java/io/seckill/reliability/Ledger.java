package io.seckill.reliability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every request the buyers of one sale sent and what they were told, for the checker: which order ids were answered
 * with 202 (and to whom), which admission (user + Idempotency-Key) got which ids, and which buyers have an uncertain
 * outcome (no answer, or a 5xx that is not the definite 503 "nothing was taken").
 */
final class Ledger {
  /** One HTTP request: status -1 means no answer (timeout, connection refused or reset). */
  record Attempt(String kind, int gateway, int status, long startMillis, long micros) {
  }

  final long saleId;
  final Map<Long, String> accepted = new ConcurrentHashMap<>();
  final Map<String, Set<Long>> admissions = new ConcurrentHashMap<>();
  final Set<String> uncertainUsers = ConcurrentHashMap.newKeySet();
  final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
  final LongAdder paid = new LongAdder();
  final LongAdder cancelled = new LongAdder();

  Ledger(long saleId) {
    this.saleId = saleId;
  }

  void attempt(String kind, int gateway, int status, String type, long startMillis, long micros) {
    attempts.add(new Attempt(kind, gateway, status, startMillis, micros));
    outcomes.computeIfAbsent(kind + " " + (status < 0 ? "no-answer" : status + (type == null ? "" : " " + type)),
        k -> new LongAdder()).increment();
  }

  void admitted(String user, String key, long orderId) {
    accepted.put(orderId, user);
    admissions.computeIfAbsent(user + "/" + key, k -> ConcurrentHashMap.newKeySet()).add(orderId);
  }

  void uncertain(String user) {
    uncertainUsers.add(user);
  }

  int requests() {
    return attempts.size();
  }

  long count(String kind, int status) {
    synchronized (attempts) {
      return attempts.stream().filter(a -> a.kind().equals(kind) && a.status() == status).count();
    }
  }

  long serverErrors() {
    synchronized (attempts) {
      return attempts.stream().filter(a -> a.status() >= 500).count();
    }
  }

  /** Nearest-rank percentile of the purchase latency in ms (answered requests only). */
  double purchasePercentile(double p) {
    List<Long> l;
    synchronized (attempts) {
      l = attempts.stream().filter(a -> a.kind().equals("purchase") && a.status() > 0).map(Attempt::micros).sorted().toList();
    }
    if (l.isEmpty()) return 0;
    int rank = (int) Math.ceil(p / 100.0 * l.size()) - 1;
    return l.get(Math.max(0, Math.min(l.size() - 1, rank))) / 1000.0;
  }

  /** Answers with this exact status, of every kind (purchase, poll, pay, cancel). */
  long answered(int status) {
    synchronized (attempts) {
      return attempts.stream().filter(a -> a.status() == status).count();
    }
  }

  /**
   * Every answer by status ("none" = no answer), and for the 5xx when they came (answered, or given up on), in seconds
   * from the fault's injection: e.g. "202: 9000, 409: 2000, 500: 0, 503: 41 (0.1 to 1.9 s), 504: 0, none: 3 (...)".
   */
  String answersByStatus(long injectedAtMillis) {
    Map<Integer, long[]> by = new TreeMap<>();
    synchronized (attempts) {
      for (Attempt a : attempts) {
        long[] c = by.computeIfAbsent(a.status(), k -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
        c[0]++;
        long answeredAt = a.startMillis() + a.micros() / 1000 - injectedAtMillis;
        c[1] = Math.min(c[1], answeredAt);
        c[2] = Math.max(c[2], answeredAt);
      }
    }
    for (int always : new int[] {500, 503, 504}) by.putIfAbsent(always, new long[] {0, 0, 0});
    StringBuilder out = new StringBuilder();
    by.forEach((status, c) -> {
      if (out.length() > 0) out.append(", ");
      out.append(status < 0 ? "none" : Integer.toString(status)).append(": ").append(c[0]);
      if ((status < 0 || status >= 500) && c[0] > 0) {
        out.append(String.format(" (%.1f to %.1f s)", c[1] / 1000.0, c[2] / 1000.0));
      }
    });
    return out.toString();
  }

  /** The most purchase requests answered in one wall-clock second: the load the gateways actually carried. */
  long peakPurchasesAnsweredPerSecond() {
    Map<Long, Long> bySecond = new HashMap<>();
    synchronized (attempts) {
      for (Attempt a : attempts) {
        if (a.kind().equals("purchase") && a.status() > 0) bySecond.merge((a.startMillis() + a.micros() / 1000) / 1000, 1L, Long::sum);
      }
    }
    return bySecond.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  Map<String, Long> outcomes() {
    Map<String, Long> out = new java.util.TreeMap<>();
    outcomes.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
