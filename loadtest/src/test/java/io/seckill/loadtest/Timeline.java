package io.seckill.loadtest;

import io.seckill.judge.Attempt;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shape of a run from the client's side: purchase throughput, answers by outcome, when the
 * stock ran out.
 */
public record Timeline(
    int purchases,
    long firstMillis,
    long lastMillis,
    long lastAcceptedMillis,
    long firstSoldOutMillis,
    Map<String, Integer> answers) {

  public static Timeline of(Collection<Attempt> attempts) {
    int purchases = 0;
    long first = Long.MAX_VALUE, last = 0, lastAccepted = 0, firstSoldOut = Long.MAX_VALUE;
    Map<String, Integer> answers = new TreeMap<>();
    for (Attempt a : attempts) {
      if (a.kind() != Attempt.Kind.PURCHASE) continue;
      purchases++;
      first = Math.min(first, a.atMillis());
      last = Math.max(last, a.atMillis());
      if (a.outcome() == Attempt.Outcome.ACCEPTED)
        lastAccepted = Math.max(lastAccepted, a.atMillis());
      if ("sold-out".equals(a.problem())) firstSoldOut = Math.min(firstSoldOut, a.atMillis());
      String label =
          a.status() == Attempt.NO_ANSWER
              ? "no answer"
              : a.status() + (a.problem() == null ? "" : " " + a.problem());
      answers.merge(label, 1, Integer::sum);
    }
    return new Timeline(purchases, first, last, lastAccepted, firstSoldOut, answers);
  }

  public String render() {
    if (purchases == 0) return "no purchases were made\n";
    StringBuilder b = new StringBuilder();
    double seconds = Math.max(1, lastMillis - firstMillis) / 1000.0;
    b.append(
        String.format(
            "purchases: %d answered over %.1f s (%.0f/s, answer times)%n",
            purchases, seconds, purchases / seconds));
    answers.forEach((k, v) -> b.append(String.format("  %-28s %d%n", k, v)));
    if (lastAcceptedMillis > 0) {
      b.append(String.format("last 202 at +%.2f s%n", (lastAcceptedMillis - firstMillis) / 1000.0));
    }
    if (firstSoldOutMillis != Long.MAX_VALUE) {
      b.append(
          String.format(
              "sold out: first sold-out answer at +%.2f s%n",
              (firstSoldOutMillis - firstMillis) / 1000.0));
    }
    return b.toString();
  }
}
