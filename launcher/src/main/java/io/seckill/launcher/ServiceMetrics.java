package io.seckill.launcher;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.seckill.delay.DelayStats;
import io.seckill.worker.WorkerStats;
import java.util.function.ToDoubleFunction;

/**
 * Publishes the order worker's and the delay service's own counters as Prometheus meters, plus JVM
 * basics.
 */
final class ServiceMetrics {
  private ServiceMetrics() {}

  static void jvm(MeterRegistry r) {
    new JvmMemoryMetrics().bindTo(r);
    new JvmGcMetrics().bindTo(r);
    new ProcessorMetrics().bindTo(r);
  }

  static void worker(MeterRegistry r, WorkerStats s) {
    counter(
        r,
        "seckill_worker_records_consumed",
        "Records read from the orders topic",
        s,
        WorkerStats::recordsConsumed);
    counter(
        r,
        "seckill_worker_orders_inserted",
        "Orders persisted (new rows)",
        s,
        WorkerStats::ordersInserted);
    counter(
        r,
        "seckill_worker_duplicates",
        "Redelivered orders that were already rows",
        s,
        WorkerStats::duplicates);
    counter(
        r,
        "seckill_worker_dead_lettered",
        "Records sent to the dead-letter topic",
        s,
        WorkerStats::deadLettered);
    counter(
        r,
        "seckill_worker_rejected",
        "Orders persisted as REJECTED (stock returned)",
        s,
        WorkerStats::rejected);
    counter(r, "seckill_worker_batches", "Batches written", s, WorkerStats::batches);
    counter(
        r,
        "seckill_worker_retries",
        "Batch retries after transient failures",
        s,
        WorkerStats::retries);
    counter(r, "seckill_worker_commits", "Offset commits", s, WorkerStats::commits);
    gauge(
        r,
        "seckill_worker_commit_latency_ms",
        "Latency of the last offset commit",
        s,
        WorkerStats::lastCommitLatencyMillis);
    gauge(
        r,
        "seckill_worker_lag",
        "Records assigned to this worker not yet consumed",
        s,
        WorkerStats::totalLag);
  }

  static void delay(MeterRegistry r, DelayStats s) {
    counter(
        r,
        "seckill_delay_cancelled",
        "Unpaid orders cancelled at their deadline",
        s,
        x -> x.snapshot().cancelled());
    counter(
        r,
        "seckill_delay_stock_returns",
        "Stock returns performed",
        s,
        x -> x.snapshot().stockReturns());
    counter(
        r,
        "seckill_delay_cascaded",
        "Deadlines moved down to a shorter level",
        s,
        x -> x.snapshot().cascaded());
    counter(
        r,
        "seckill_delay_dead_lettered",
        "Delay records that could not be parsed",
        s,
        x -> x.snapshot().deadLettered());
    gauge(
        r,
        "seckill_delay_lateness_p99_ms",
        "Cancellation lateness after the deadline, p99",
        s,
        x -> x.snapshot().latenessP99());
    gauge(
        r,
        "seckill_delay_lateness_max_ms",
        "Cancellation lateness after the deadline, max",
        s,
        x -> x.snapshot().latenessMax());
  }

  private static <T> void counter(
      MeterRegistry r, String name, String help, T obj, ToDoubleFunction<T> f) {
    FunctionCounter.builder(name, obj, f).description(help).register(r);
  }

  private static <T> void gauge(
      MeterRegistry r, String name, String help, T obj, ToDoubleFunction<T> f) {
    Gauge.builder(name, obj, f).description(help).register(r);
  }
}
