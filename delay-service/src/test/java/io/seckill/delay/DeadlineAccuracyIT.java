package io.seckill.delay;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.config.Settings;
import io.seckill.platform.store.OrderStore.Deadline;
import io.seckill.platform.store.Sale;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadlineAccuracyIT {

  @Test
  void deadlinesOfOneSevenAndNinetySecondsEachFireWithinOneSecondOfDue() {
    try (DelayHarness h =
        new DelayHarness("accuracy", Map.of(Settings.DELAY_LEVELS.env(), HopsTest.PROPOSED))) {
      DelayService service = h.startService();
      Sale sale = h.createSale(100, 1);
      List<Integer> timeouts = new ArrayList<>();
      for (int t : new int[] {1, 7, 90}) for (int i = 0; i < 5; i++) timeouts.add(t);
      h.schedule(h.placeOrders(sale, timeouts));

      DelayHarness.waitUntil(
          Duration.ofSeconds(100), () -> h.count(sale.id(), "CANCELLED") == timeouts.size());

      var rows = h.rows(sale.id());
      System.out.println(
          "accuracy (1 s, 7 s, 90 s), ms late: "
              + rows.values().stream().map(DelayHarness.OrderRow::lateMillis).sorted().toList());
      assertThat(rows.values()).allSatisfy(r -> assertThat(r.lateMillis()).isBetween(0L, 999L));
      // 7 s is 5 s + 2 s and 90 s is 1 m + 30 s: those deadlines cascaded one level down.
      assertThat(service.stats().snapshot().cascaded()).isGreaterThanOrEqualTo(10);
      h.stop(service, false);
    }
  }

  /**
   * The proposed level table scaled down 300 times (1 h = 12 s); 1 h 30 m = 18 s hops 12 s then 6
   * s.
   */
  static final String SCALED =
      "2ms,3ms,7ms,17ms,33ms,100ms,200ms,400ms,1s,2s,3s,6s,12s,24s,72s,144s,288s";

  @Test
  void aOneHourDeadlineFiresWithinOneSecondOfDueOnALevelTableScaledDownThreeHundredTimes() {
    try (DelayHarness h = new DelayHarness("hour", Map.of(Settings.DELAY_LEVELS.env(), SCALED))) {
      DelayService service = h.startService();
      Sale sale = h.createSale(100, 12);
      List<Deadline> placed = h.placeOrders(sale, List.of(12, 12, 12, 18, 18, 18));
      h.schedule(placed);

      DelayHarness.waitUntil(
          Duration.ofSeconds(30), () -> h.count(sale.id(), "CANCELLED") == placed.size());

      var rows = h.rows(sale.id());
      System.out.println(
          "accuracy (scaled 1 h, 1 h 30 m), ms late: "
              + rows.values().stream().map(DelayHarness.OrderRow::lateMillis).sorted().toList());
      assertThat(rows.values()).allSatisfy(r -> assertThat(r.lateMillis()).isBetween(0L, 999L));
      assertThat(service.stats().snapshot().cascaded()).isGreaterThanOrEqualTo(3);
      h.stop(service, false);
    }
  }
}
