package io.seckill.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The gateway's business metrics, on Micrometer's global registry (the launcher adds the Prometheus
 * registry to it; without one they cost nothing). Also kept as plain counters for the live
 * dashboard.
 */
public final class GatewayMetrics {
  private final MeterRegistry registry = Metrics.globalRegistry;
  private final Map<String, Counter> admissions = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> admissionTotals = new ConcurrentHashMap<>();

  /**
   * Per JVM, like the global registry: a second gateway in one process (tests) updates the same
   * gauges.
   */
  private static final Map<String, AtomicLong> GAUGES = new ConcurrentHashMap<>();

  private final Timer kafkaSend =
      Timer.builder("seckill_kafka_send")
          .description("Time from send to the broker's acknowledgement (acks=all)")
          .publishPercentiles(0.5, 0.99)
          .register(registry);

  /**
   * Fixed buckets (no percentile sketch): recording is a few atomic adds, and /metrics shows how
   * big groups get.
   */
  private final DistributionSummary groupSizes =
      DistributionSummary.builder("seckill_admission_group_size")
          .description(
              "Purchases admitted by one admission script call (group admission; 1 = a purchase alone)")
          .baseUnit("purchases")
          .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000)
          .register(registry);

  /** One purchase answered: accepted, or the problem slug it was refused with. */
  public void admission(String outcome) {
    // get first: computeIfAbsent with a capturing lambda allocates on every call, and this runs on
    // every purchase
    Counter counter = admissions.get(outcome);
    if (counter == null) {
      counter =
          admissions.computeIfAbsent(
              outcome,
              o ->
                  Counter.builder("seckill_admissions")
                      .tag("outcome", o)
                      .description("Purchase requests by outcome")
                      .register(registry));
    }
    counter.increment();
    AtomicLong total = admissionTotals.get(outcome);
    if (total == null) total = admissionTotals.computeIfAbsent(outcome, o -> new AtomicLong());
    total.incrementAndGet();
  }

  public Map<String, Long> admissionTotals() {
    Map<String, Long> out = new TreeMap<>();
    admissionTotals.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** One admission script call for a group of this many purchases. */
  public void admissionGroup(int purchases) {
    groupSizes.record(purchases);
  }

  public void kafkaSend(long nanos) {
    kafkaSend.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Open HTTP connections of this gateway (per JVM: the first gateway's counter wins, like the
   * other gauges).
   */
  public void connections(IntSupplier open) {
    // Registering a gauge twice makes Micrometer warn; the map remembers it is done, as for the
    // other gauges.
    if (GAUGES.putIfAbsent("seckill_http_connections|", new AtomicLong()) == null) {
      Gauge.builder("seckill_http_connections", open::getAsInt)
          .description("Open HTTP connections")
          .register(registry);
    }
  }

  /**
   * Sets a gauge by name and tags (registered on first use), e.g. stock left of a sale or lag of a
   * partition.
   */
  public void gauge(String name, String description, String tagKey, String tagValue, long value) {
    GAUGES
        .computeIfAbsent(
            name + "|" + tagValue,
            k -> {
              AtomicLong holder = new AtomicLong();
              Gauge.builder(name, holder, (ToDoubleFunction<AtomicLong>) AtomicLong::get)
                  .tag(tagKey, tagValue)
                  .description(description)
                  .register(registry);
              return holder;
            })
        .set(value);
  }
}
