package io.seckill.gateway.kafka;

import io.seckill.gateway.metrics.GatewayMetrics;
import io.seckill.platform.config.Servers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the order workers' lag on the orders topic every few hundred milliseconds (seed 004:
 * backlog control). The purchase path only reads a volatile; when the lag cannot be read, the last
 * value stands.
 */
public final class LagMonitor {
  private static final Logger log = LoggerFactory.getLogger(LagMonitor.class);

  private final Vertx vertx;
  private final Admin admin;
  private final String topic;
  private final String group;
  private final Duration interval;
  private volatile long lag;
  private volatile Map<Integer, Long> lagByPartition = Map.of();
  private long timer = -1;
  private boolean warned;

  private final GatewayMetrics metrics;

  public LagMonitor(
      Vertx vertx, Servers servers, String workerGroup, Duration interval, GatewayMetrics metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers.kafkaBootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) timeoutMillis(interval),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) timeoutMillis(interval)));
    this.topic = servers.topics().orders();
    this.group = workerGroup;
    this.interval = interval;
  }

  public void start() {
    timer = vertx.setPeriodic(interval.toMillis(), t -> refresh());
  }

  public long lag() {
    return lag;
  }

  public Map<Integer, Long> lagByPartition() {
    return lagByPartition;
  }

  /**
   * Lag = end offset - committed offset, summed over partitions (a partition never committed counts
   * from 0).
   */
  Future<Long> refresh() {
    long timeout = timeoutMillis(interval);
    return Future.fromCompletionStage(
            admin.describeTopics(List.of(topic)).allTopicNames().toCompletionStage())
        .compose(
            topics -> {
              Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
              topics
                  .get(topic)
                  .partitions()
                  .forEach(
                      p ->
                          latest.put(
                              new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
              Future<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> ends =
                  Future.fromCompletionStage(admin.listOffsets(latest).all().toCompletionStage());
              Future<Map<TopicPartition, OffsetAndMetadata>> committed =
                  Future.fromCompletionStage(
                      admin
                          .listConsumerGroupOffsets(group)
                          .partitionsToOffsetAndMetadata()
                          .toCompletionStage());
              return Future.all(ends, committed)
                  .map(
                      v -> {
                        Map<Integer, Long> byPartition = new HashMap<>();
                        long total = 0;
                        for (var e : ends.result().entrySet()) {
                          OffsetAndMetadata c = committed.result().get(e.getKey());
                          long l =
                              Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
                          byPartition.put(e.getKey().partition(), l);
                          metrics.gauge(
                              "seckill_orders_lag",
                              "Records on the orders topic not yet committed by the order workers",
                              "partition",
                              Integer.toString(e.getKey().partition()),
                              l);
                          total += l;
                        }
                        lagByPartition = Map.copyOf(byPartition);
                        lag = total;
                        return total;
                      });
            })
        .timeout(timeout, TimeUnit.MILLISECONDS)
        .onSuccess(v -> warned = false)
        .onFailure(
            e -> {
              if (!warned) log.warn("cannot read the order workers' lag: {}", e.getMessage());
              warned = true;
            });
  }

  /** Kafka reachability, for readiness. */
  public Future<Void> ping() {
    return Future.fromCompletionStage(admin.describeCluster().clusterId().toCompletionStage())
        .timeout(2, TimeUnit.SECONDS)
        .mapEmpty();
  }

  public void close() {
    if (timer >= 0) vertx.cancelTimer(timer);
    vertx.executeBlocking(
        () -> {
          admin.close(Duration.ofSeconds(2));
          return null;
        });
  }

  /**
   * A read may take three check intervals (it is simply skipped, the last figure stays), but never
   * less than this.
   */
  private static final long MIN_TIMEOUT_MILLIS = 1_000;

  private static long timeoutMillis(Duration interval) {
    return Math.max(MIN_TIMEOUT_MILLIS, interval.toMillis() * 3);
  }
}
