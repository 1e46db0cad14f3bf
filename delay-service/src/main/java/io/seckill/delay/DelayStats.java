package io.seckill.delay;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** What the delay service did, for logs, metrics and benchmarks. Safe to read from any thread. */
public final class DelayStats {
  /**
   * One level as last seen by the consumer: records not yet read, records held waiting, when its
   * head is ready.
   */
  public record Level(
      int level, long delayMillis, long recordsLag, int held, long headReadyInMillis) {}

  /**
   * A consistent-enough copy of the counters. Lateness is now - dueAt when an order is cancelled.
   */
  public record Snapshot(
      long acted,
      long cancelled,
      long stockReturns,
      long cascaded,
      long rescheduled,
      long deadLettered,
      long failedBatches,
      long latenessP50,
      long latenessP99,
      long latenessMax,
      List<Level> levels) {

    public JsonObject toJson() {
      JsonArray lv = new JsonArray();
      levels.forEach(
          l ->
              lv.add(
                  new JsonObject()
                      .put("level", l.level())
                      .put("delayMillis", l.delayMillis())
                      .put("recordsLag", l.recordsLag())
                      .put("held", l.held())
                      .put("headReadyInMillis", l.headReadyInMillis())));
      return new JsonObject()
          .put("acted", acted)
          .put("cancelled", cancelled)
          .put("stockReturns", stockReturns)
          .put("cascaded", cascaded)
          .put("rescheduled", rescheduled)
          .put("deadLettered", deadLettered)
          .put("failedBatches", failedBatches)
          .put(
              "latenessMillis",
              new JsonObject()
                  .put("p50", latenessP50)
                  .put("p99", latenessP99)
                  .put("max", latenessMax))
          .put("levels", lv);
    }
  }

  final LongAdder acted = new LongAdder();
  final LongAdder cancelled = new LongAdder();
  final LongAdder stockReturns = new LongAdder();
  final LongAdder cascaded = new LongAdder();
  final LongAdder rescheduled = new LongAdder();
  final LongAdder deadLettered = new LongAdder();
  final LongAdder failedBatches = new LongAdder();
  final LatencyHistogram lateness = new LatencyHistogram();
  private volatile List<Level> levels = List.of();

  void levels(List<Level> latest) {
    levels = List.copyOf(latest);
  }

  public Snapshot snapshot() {
    return new Snapshot(
        acted.sum(),
        cancelled.sum(),
        stockReturns.sum(),
        cascaded.sum(),
        rescheduled.sum(),
        deadLettered.sum(),
        failedBatches.sum(),
        lateness.percentile(0.50),
        lateness.percentile(0.99),
        lateness.max(),
        levels);
  }
}
