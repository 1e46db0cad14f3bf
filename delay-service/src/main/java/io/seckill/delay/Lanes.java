package io.seckill.delay;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs an async action over items with a fixed number in flight, so a large batch never floods a
 * client's pool.
 */
final class Lanes {
  private Lanes() {}

  static <T> Future<Void> forEach(List<T> items, int lanes, Function<T, Future<?>> action) {
    if (items.isEmpty()) return Future.succeededFuture();
    List<Future<Void>> running = new ArrayList<>();
    for (int lane = 0; lane < Math.min(lanes, items.size()); lane++)
      running.add(lane(items, lane, lanes, action));
    return Future.all(running).mapEmpty();
  }

  private static <T> Future<Void> lane(
      List<T> items, int index, int step, Function<T, Future<?>> action) {
    if (index >= items.size()) return Future.succeededFuture();
    Future<?> one;
    try {
      one = action.apply(items.get(index));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return one.compose(x -> lane(items, index + step, step, action));
  }
}
