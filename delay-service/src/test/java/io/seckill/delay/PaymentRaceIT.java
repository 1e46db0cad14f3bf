package io.seckill.delay;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.store.OrderStore.Deadline;
import io.seckill.platform.store.Sale;
import io.seckill.platform.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class PaymentRaceIT {

  @Test
  void
      payUserCancelAndDeadlineRacingOnTheSameOrdersLeaveEachInExactlyOneFinalStateWithStockExact() {
    try (DelayHarness h = new DelayHarness("race", Map.of())) {
      DelayService service = h.startService();
      int initial = 1200;
      Sale sale = h.createSale(initial, 2);
      List<Deadline> placed = h.placeOrders(sale, 1000);
      h.schedule(placed);

      Set<Long> paid = ConcurrentHashMap.newKeySet();
      Set<Long> userCancelled = ConcurrentHashMap.newKeySet();
      List<Future<?>> attempts = new ArrayList<>();
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (Deadline d : placed) {
        // Both attempts land in the last 400 ms before the deadline or the 200 ms after it, where
        // all three race.
        long msToDue = d.expiresAt().toEpochMilli() - System.currentTimeMillis();
        attempts.add(
            at(
                h,
                msToDue + random.nextLong(-400, 200),
                () ->
                    h.orders
                        .pay(d.orderId(), 0, "p" + d.orderId())
                        .onSuccess(
                            won -> {
                              if (won) paid.add(d.orderId());
                            })));
        attempts.add(
            at(
                h,
                msToDue + random.nextLong(-400, 200),
                () ->
                    h.orders
                        .cancelByUser(d.orderId(), 0)
                        .compose(
                            won ->
                                !won
                                    ? Future.succeededFuture()
                                    : h.inventory
                                        .returnStock(
                                            sale.id(), d.orderId(), "user-" + d.orderId(), 1)
                                        .onSuccess(x -> userCancelled.add(d.orderId())))));
      }
      Await.await(Future.all(attempts));
      DelayHarness.waitUntil(
          Duration.ofSeconds(10), () -> h.count(sale.id(), "PENDING_PAYMENT") == 0);
      Await.sleep(500);

      var rows = h.rows(sale.id());
      assertThat(rows).hasSize(1000);
      assertThat(paid).doesNotContainAnyElementsOf(userCancelled);
      long timedOut = 0;
      for (Deadline d : placed) {
        var r = rows.get(d.orderId());
        if (paid.contains(d.orderId())) assertThat(r.status()).isEqualTo("PAID");
        else if (userCancelled.contains(d.orderId()))
          assertThat(r)
              .extracting(DelayHarness.OrderRow::status, DelayHarness.OrderRow::cancelReason)
              .containsExactly("CANCELLED", "USER");
        else {
          assertThat(r)
              .extracting(DelayHarness.OrderRow::status, DelayHarness.OrderRow::cancelReason)
              .containsExactly("CANCELLED", "TIMEOUT");
          timedOut++;
        }
      }
      System.out.printf(
          "race outcome: %d paid, %d cancelled by their user, %d timed out; service %s%n",
          paid.size(),
          userCancelled.size(),
          timedOut,
          service.stats().snapshot().toJson().copy().put("levels", "..."));
      assertThat(paid.size() + userCancelled.size() + timedOut).isEqualTo(1000);
      // Every outcome must have happened in some races, or the test raced nothing.
      assertThat(paid).isNotEmpty();
      assertThat(userCancelled).isNotEmpty();
      assertThat(timedOut).isPositive();
      assertThat(h.stock(sale.id())).isEqualTo(initial - paid.size());
      assertThat(h.returnedOrders(sale.id())).isEqualTo(1000 - paid.size());
      // The service returns stock for every timed-out order, and may win the return of a user's
      // cancellation too.
      assertThat(service.stats().snapshot().stockReturns())
          .isBetween(timedOut, 1000L - paid.size());
      h.stop(service, false);
    }
  }

  private static Future<?> at(
      DelayHarness h, long delayMillis, java.util.function.Supplier<Future<?>> action) {
    Promise<Object> done = Promise.promise();
    h.vertx.setTimer(
        Math.max(1, delayMillis),
        t -> action.get().onComplete(ar -> done.handle(ar.map(x -> null))));
    return done.future();
  }
}
