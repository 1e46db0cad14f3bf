package io.seckill.launcher.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What the demo's buyers saw: answers by outcome and the latency of every purchase. Thread-safe. */
final class Tally {
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final List<Long> purchaseMicros = Collections.synchronizedList(new ArrayList<>());
  private final LongAdder requests = new LongAdder();

  void count(String outcome) {
    outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    requests.increment();
  }

  void purchaseLatency(long micros) {
    purchaseMicros.add(micros);
  }

  long requests() {
    return requests.sum();
  }

  long of(String outcome) {
    LongAdder a = outcomes.get(outcome);
    return a == null ? 0 : a.sum();
  }

  Map<String, Long> outcomes() {
    Map<String, Long> out = new TreeMap<>();
    outcomes.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Percentile of purchase latency in milliseconds (nearest rank). */
  double purchasePercentileMillis(double p) {
    List<Long> copy;
    synchronized (purchaseMicros) {
      copy = new ArrayList<>(purchaseMicros);
    }
    if (copy.isEmpty()) return 0;
    Collections.sort(copy);
    int rank = (int) Math.ceil(p / 100.0 * copy.size()) - 1;
    return copy.get(Math.max(0, Math.min(copy.size() - 1, rank))) / 1000.0;
  }

  int purchases() {
    return purchaseMicros.size();
  }
}
