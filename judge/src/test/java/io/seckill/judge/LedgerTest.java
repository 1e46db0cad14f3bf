package io.seckill.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.judge.Attempt.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LedgerTest {
  private static final long T0 = 1_000_000;

  private static Attempt timed(
      Kind kind,
      String user,
      int status,
      String problem,
      String orderId,
      int gateway,
      long atMillis,
      long micros) {
    return new Attempt(
        kind, user, "k-" + user, status, problem, orderId, gateway, atMillis, micros);
  }

  @Test
  void outcomesAreCountedByKindStatusAndProblem() {
    Ledger l = new Ledger();
    l.record(timed(Kind.PURCHASE, "u1", 202, null, "1", 0, T0, 10));
    l.record(timed(Kind.PURCHASE, "u2", 409, "sold-out", null, 0, T0, 10));
    l.record(timed(Kind.PURCHASE, "u3", 409, "sold-out", null, 1, T0, 10));
    l.record(timed(Kind.PURCHASE, "u4", Attempt.NO_ANSWER, null, null, 1, T0, 10));
    l.record(timed(Kind.BAD_INPUT, "u5", 400, "invalid-request", null, 0, T0, 10));
    l.record(timed(Kind.PAYMENT, "u1", 200, null, "1", 0, T0, 10));
    assertThat(l.outcomes())
        .containsExactly(
            java.util.Map.entry("bad input 400 invalid-request", 1L),
            java.util.Map.entry("payment 200", 1L),
            java.util.Map.entry("purchase 202", 1L),
            java.util.Map.entry("purchase 409 sold-out", 2L),
            java.util.Map.entry("purchase no answer", 1L));
    assertThat(l.requests()).isEqualTo(6);
    assertThat(l.count(Kind.PURCHASE, 409)).isEqualTo(2);
    assertThat(l.count(Kind.PAYMENT, 200)).isEqualTo(1);
    assertThat(l.answered(200)).isEqualTo(1);
  }

  @Test
  void acceptedMapsEachAdmittedOrderToItsBuyerOnce() {
    Ledger l = new Ledger();
    l.record(Attempt.purchase("u1", "k1", 202, null, "7"));
    l.record(Attempt.purchase("u1", "k1", 202, null, "7"));
    l.record(Attempt.purchase("u2", "k2", 202, null, "8"));
    l.record(Attempt.purchase("u3", "k3", 503, "overloaded", null));
    assertThat(l.accepted())
        .containsExactly(java.util.Map.entry("7", "u1"), java.util.Map.entry("8", "u2"));
  }

  @Test
  void percentilesAreNearestRankOverAnsweredTimedRequestsOfOneKind() {
    Ledger l = new Ledger();
    for (int i = 1; i <= 100; i++)
      l.record(timed(Kind.PURCHASE, "u" + i, 202, null, "" + i, 0, T0, i * 1000L));
    l.record(timed(Kind.PURCHASE, "late", Attempt.NO_ANSWER, null, null, 0, T0, 999_000_000));
    l.record(timed(Kind.POLL, "u1", 200, null, "1", 0, T0, 500_000_000));
    l.record(new Attempt(Kind.PURCHASE, "untimed", null, 202, null, "x", T0));
    assertThat(l.percentileMillis(Kind.PURCHASE, 50)).isEqualTo(50.0);
    assertThat(l.percentileMillis(Kind.PURCHASE, 99)).isEqualTo(99.0);
    assertThat(l.percentileMillis(Kind.PURCHASE, 100)).isEqualTo(100.0);
    assertThat(l.percentileMillis(Kind.CANCEL, 50)).isZero();
  }

  @Test
  void answersByStatusSaysWhenTheFailuresCameFromTheInjection() {
    Ledger l = new Ledger();
    l.record(timed(Kind.PURCHASE, "u1", 202, null, "1", 0, T0, 1000));
    l.record(timed(Kind.PURCHASE, "u2", 503, "overloaded", null, 0, T0 + 100, 0));
    l.record(timed(Kind.PURCHASE, "u3", 503, "overloaded", null, 1, T0 + 1900, 0));
    l.record(timed(Kind.PURCHASE, "u4", Attempt.NO_ANSWER, null, null, 1, T0 + 200, 3_000_000));
    assertThat(l.answersByStatus(T0))
        .isEqualTo("none: 1 (3.2 to 3.2 s), 202: 1, 500: 0, 503: 2 (0.1 to 1.9 s), 504: 0");
  }

  @Test
  void thePeakIsTheMostAnswersInOneWallClockSecond() {
    Ledger l = new Ledger();
    for (int i = 0; i < 3; i++)
      l.record(timed(Kind.PURCHASE, "a" + i, 202, null, "a" + i, 0, 5_000, 100_000));
    for (int i = 0; i < 5; i++)
      l.record(timed(Kind.PURCHASE, "b" + i, 409, "sold-out", null, 0, 6_100, 0));
    l.record(timed(Kind.PURCHASE, "c", Attempt.NO_ANSWER, null, null, 0, 6_200, 0));
    for (int i = 0; i < 9; i++) l.record(timed(Kind.POLL, "p" + i, 200, null, "a0", 0, 6_300, 0));
    assertThat(l.peakAnsweredPerSecond(Kind.PURCHASE)).isEqualTo(5);
  }

  @Test
  void recordsFromManyThreadsAreAllKept() throws Exception {
    Ledger l = new Ledger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 1000; i++)
                  l.record(
                      Attempt.purchase("t" + thread + "-" + i, null, 202, null, thread + "-" + i));
              }));
    }
    for (var f : done) f.get(30, TimeUnit.SECONDS);
    pool.shutdown();
    assertThat(l.requests()).isEqualTo(8000);
    assertThat(l.accepted()).hasSize(8000);
  }

  @Test
  void theSlugIsTheLastPathSegmentOfTheProblemType() {
    assertThat(Ledger.slug("https://seckill.io/problems/sold-out")).isEqualTo("sold-out");
    assertThat(Ledger.slug("sold-out")).isEqualTo("sold-out");
    assertThat(Ledger.slug("")).isNull();
    assertThat(Ledger.slug(null)).isNull();
  }
}
