package io.seckill.delay;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.store.OrderStore.Deadline;
import io.seckill.platform.store.OrderStore.Released;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Priming against fakes: what it runs, how many at once, and that a failure does not stop it. */
class PrimerTest {

  /** Records every call; cancelExpired calls wait for the test to answer them. */
  private static final class RecordingOrders implements Canceller.Orders {
    final List<String> calls = new ArrayList<>();
    final List<List<Long>> idsSeen = new ArrayList<>();
    final List<Promise<List<Released>>> waiting = new ArrayList<>();
    boolean failCancel;

    @Override
    public Future<List<Released>> cancelExpired(List<Long> ids) {
      calls.add("cancelExpired");
      idsSeen.add(ids);
      if (failCancel) return Future.failedFuture(new IllegalStateException("database down"));
      Promise<List<Released>> p = Promise.promise();
      waiting.add(p);
      return p.future();
    }

    @Override
    public Future<List<Released>> released(List<Long> ids) {
      calls.add("released");
      idsSeen.add(ids);
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<List<Deadline>> pendingDeadlines(List<Long> ids) {
      calls.add("pendingDeadlines");
      idsSeen.add(ids);
      return Future.succeededFuture(List.of());
    }

    /** Answers every cancel waiting now; returns how many there were. */
    int answerAll() {
      List<Promise<List<Released>>> now = new ArrayList<>(waiting);
      waiting.clear();
      now.forEach(p -> p.complete(List.of()));
      return now.size();
    }
  }

  @Test
  void primingRunsEveryCancelStatementOnEveryLaneAtOnceAndTouchesNoOrder() {
    RecordingOrders orders = new RecordingOrders();
    int[] pings = {0};
    Supplier<Future<Void>> ping =
        () -> {
          pings[0]++;
          return Future.succeededFuture();
        };
    Future<Void> done = new Primer(orders, ping, 4, 3).prime();

    // All four lanes are in flight together (so the pool opens connections as a burst would).
    assertThat(orders.waiting).hasSize(4);
    assertThat(done.isComplete()).isFalse();
    assertThat(orders.answerAll()).isEqualTo(4);
    assertThat(orders.answerAll()).isEqualTo(4);
    assertThat(done.isComplete()).isFalse();
    assertThat(orders.answerAll()).isEqualTo(4);

    assertThat(done.succeeded()).isTrue();
    assertThat(orders.calls).filteredOn("cancelExpired"::equals).hasSize(12);
    assertThat(orders.calls).filteredOn("released"::equals).hasSize(12);
    assertThat(orders.calls).filteredOn("pendingDeadlines"::equals).hasSize(12);
    assertThat(pings[0]).isEqualTo(12);
    assertThat(orders.idsSeen).allSatisfy(ids -> assertThat(ids).isEmpty());
  }

  @Test
  void aDatabaseThatIsDownDoesNotKeepTheServiceFromConsuming() {
    RecordingOrders orders = new RecordingOrders();
    orders.failCancel = true;
    Future<Void> done = new Primer(orders, Future::succeededFuture, 2, 5).prime();

    assertThat(done.succeeded()).isTrue();
    // Each lane gave up at its first failure instead of hammering a database that is down.
    assertThat(orders.calls).containsExactly("cancelExpired", "cancelExpired");
  }

  @Test
  void redisThatIsDownDoesNotKeepTheServiceFromConsumingEither() {
    RecordingOrders orders = new RecordingOrders();
    Future<Void> done =
        new Primer(orders, () -> Future.failedFuture(new IllegalStateException("redis down")), 1, 5)
            .prime();
    orders.answerAll();

    assertThat(done.succeeded()).isTrue();
    assertThat(orders.calls).containsExactly("cancelExpired", "released", "pendingDeadlines");
  }
}
