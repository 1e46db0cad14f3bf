package io.seckill.delay;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.store.OrderStore.Deadline;
import io.seckill.platform.store.Sale;
import io.seckill.platform.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestartIT {

  @Test
  void aDelayServiceCrashedAndRestartedWhileDeadlinesArePendingMissesNoneAndCancelsNoneTwice() {
    try (DelayHarness h = new DelayHarness("restart", Map.of())) {
      Sale sale = h.createSale(1000, 2);
      List<Integer> timeouts = new ArrayList<>();
      for (int i = 0; i < 400; i++) timeouts.add(2 + i % 9);
      List<Deadline> placed = h.placeOrders(sale, timeouts);
      h.schedule(placed);
      int paid = 0;
      for (int i = 0; i < placed.size(); i += 4, paid++) {
        assertThat(Await.await(h.orders.pay(placed.get(i).orderId(), 0, "p"))).isTrue();
      }
      long start = System.currentTimeMillis();

      // First instance: crashes (nothing more committed) while deadlines are falling due.
      DelayService first = h.startService();
      Await.sleep(Math.max(0, 4_000 - (System.currentTimeMillis() - start)));
      h.stop(first, true);
      long firstCancelled = first.stats().snapshot().cancelled();
      assertThat(firstCancelled).isPositive();

      // Down for two seconds: those deadlines must fire at once at restart.
      Await.sleep(2_000);
      long restartedAt = System.currentTimeMillis();
      DelayService second = h.startService();
      Await.sleep(Math.max(0, 8_000 - (System.currentTimeMillis() - start)));
      h.stop(second, false);

      Await.sleep(1_000);
      DelayService third = h.startService();
      DelayHarness.waitUntil(
          Duration.ofSeconds(15), () -> h.count(sale.id(), "PENDING_PAYMENT") == 0);
      Await.sleep(500);
      h.stop(third, false);

      var rows = h.rows(sale.id());
      long cancelled = rows.values().stream().filter(r -> r.status().equals("CANCELLED")).count();
      assertThat(cancelled).isEqualTo(placed.size() - paid);
      long cancelledByAll =
          firstCancelled
              + second.stats().snapshot().cancelled()
              + third.stats().snapshot().cancelled();
      long returnedByAll =
          first.stats().snapshot().stockReturns()
              + second.stats().snapshot().stockReturns()
              + third.stats().snapshot().stockReturns();
      for (DelayService s : List.of(first, second, third)) {
        System.out.println(
            "restart instance: " + s.stats().snapshot().toJson().copy().put("levels", "..."));
      }
      assertThat(cancelledByAll).isEqualTo(cancelled);
      assertThat(returnedByAll).isEqualTo(cancelled);
      assertThat(h.returnedOrders(sale.id())).isEqualTo(cancelled);
      assertThat(h.stock(sale.id())).isEqualTo(1000 - paid);
      // A deadline that passed while no service ran is acted on as soon as one is back.
      long downtimeLate =
          rows.values().stream()
              .filter(r -> r.status().equals("CANCELLED"))
              .mapToLong(DelayHarness.OrderRow::lateMillis)
              .max()
              .orElseThrow();
      assertThat(downtimeLate).isLessThan(restartedAt - start);
      assertThat(second.stats().snapshot().cancelled()).isPositive();
    }
  }
}
