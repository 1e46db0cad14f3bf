package io.seckill.delay;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delay topic's consumer, on its own thread. It never sleeps on a record: a level whose head is not due is
 * paused and the poll timeout is cut to the moment it will be, so the thread keeps polling (and the group keeps it)
 * whatever the levels hold. Batches are acted on asynchronously; their completions come back through a queue, so all
 * consumer and bookkeeping state is touched by this thread only.
 */
final class DelayLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(DelayLoop.class);
  private static final long MAX_POLL_MILLIS = 100;
  private static final long BUSY_POLL_MILLIS = 5;
  private static final long GAUGE_INTERVAL_MILLIS = 1000;

  private record Finished(Batch batch, LevelQueue owner, Throwable failure) {
  }

  private final DelayConfig config;
  private final Consumer<String, byte[]> consumer;
  private final Function<Batch, Future<Void>> runner;
  private final DelayStats stats;
  private final Duration drainTimeout;
  private final Map<TopicPartition, LevelQueue> levels = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
  private final Map<Batch, LevelQueue> owners = new HashMap<>();
  private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
  private final List<Batch> retries = new ArrayList<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private int running;
  private int roundRobin;
  private volatile boolean stopping;
  private volatile boolean commitOnStop = true;
  private volatile int assignedLevels;

  DelayLoop(DelayConfig config, Consumer<String, byte[]> consumer, Function<Batch, Future<Void>> runner, DelayStats stats) {
    this.config = config;
    this.consumer = consumer;
    this.runner = runner;
    this.stats = stats;
    this.drainTimeout = config.servers().callTimeout().multipliedBy(2).plus(config.servers().kafkaDeliveryTimeout());
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(config.servers().topics().delay()), new Rebalance());
      long lastCommit = 0;
      long lastGauges = 0;
      while (!stopping) {
        long now = System.currentTimeMillis();
        drainFinished(now);
        dispatch(now);
        pauseWhatIsHeld();
        if (now - lastCommit >= config.commitInterval().toMillis()) {
          commitFinished(levels.values(), false);
          lastCommit = now;
        }
        if (now - lastGauges >= GAUGE_INTERVAL_MILLIS) {
          publishGauges(now);
          lastGauges = now;
        }
        hold(consumer.poll(Duration.ofMillis(pollTimeout(System.currentTimeMillis()))));
      }
      if (commitOnStop) {
        awaitRunning(levels.values());
        commitFinished(levels.values(), true);
      }
    } catch (Throwable e) {
      log.error("delay consumer stopped by an unexpected error; uncommitted deadlines are redelivered", e);
    } finally {
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.warn("closing the delay consumer: {}", e.toString());
      }
      stopped.complete(null);
    }
  }

  /** Stops after the batches in flight finish, committing them. */
  CompletableFuture<Void> stop() {
    stopping = true;
    return stopped;
  }

  /** Stops without committing anything more, as a crash would (tests use it to prove redelivery is harmless). */
  CompletableFuture<Void> halt() {
    commitOnStop = false;
    stopping = true;
    return stopped;
  }

  int assignedLevels() {
    return assignedLevels;
  }

  private void hold(ConsumerRecords<String, byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      LevelQueue q = levels.get(tp);
      if (q == null) continue;
      for (ConsumerRecord<String, byte[]> r : records.records(tp)) q.add(r);
    }
  }

  private void dispatch(long now) {
    for (Iterator<Batch> it = retries.iterator(); it.hasNext() && running < config.maxInFlightBatches(); ) {
      Batch b = it.next();
      if (b.retryAt <= now) {
        it.remove();
        launch(b, owners.get(b));
      }
    }
    List<LevelQueue> queues = new ArrayList<>(levels.values());
    if (queues.isEmpty()) return;
    // Rotating the starting level keeps one busy level from starving the others when batches are capped.
    int start = Math.floorMod(roundRobin++, queues.size());
    for (int i = 0; i < queues.size() && running < config.maxInFlightBatches(); i++) {
      LevelQueue q = queues.get((start + i) % queues.size());
      while (running < config.maxInFlightBatches()) {
        var ready = q.takeReady(now, config.batchSize());
        if (ready.isEmpty()) break;
        Batch b = Batch.of(q.partition, ready, now);
        q.offsets.add(b.firstOffset, b.lastOffset, b.records);
        owners.put(b, q);
        launch(b, q);
      }
    }
  }

  private void launch(Batch b, LevelQueue owner) {
    running++;
    owner.running++;
    Future<Void> done;
    try {
      done = runner.apply(b);
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    done.onComplete(ar -> finished.add(new Finished(b, owner, ar.failed() ? ar.cause() : null)));
  }

  private void drainFinished(long now) {
    Finished f;
    while ((f = finished.poll()) != null) {
      running--;
      f.owner().running--;
      Batch b = f.batch();
      // A batch of a partition this consumer lost since: its new owner redoes it from the committed offset.
      if (levels.get(b.partition) != f.owner()) {
        owners.remove(b);
        continue;
      }
      if (f.failure() == null) {
        owners.remove(b);
        f.owner().offsets.finish(b.firstOffset);
      } else {
        b.attempts++;
        b.retryAt = now + b.backoffMillis();
        stats.failedBatches.increment();
        log.warn("deadline batch of level {} (offsets {}..{}) failed, attempt {}, retrying in {} ms: {}", b.partition.partition(),
            b.firstOffset, b.lastOffset, b.attempts, b.backoffMillis(), f.failure().toString());
        retries.add(b);
      }
    }
  }

  private void pauseWhatIsHeld() {
    Set<TopicPartition> paused = consumer.paused();
    List<TopicPartition> pause = new ArrayList<>();
    List<TopicPartition> resume = new ArrayList<>();
    for (LevelQueue q : levels.values()) {
      boolean hold = q.heldCount() > 0;
      if (hold && !paused.contains(q.partition)) pause.add(q.partition);
      if (!hold && paused.contains(q.partition)) resume.add(q.partition);
    }
    if (!pause.isEmpty()) consumer.pause(pause);
    if (!resume.isEmpty()) consumer.resume(resume);
  }

  private long pollTimeout(long now) {
    long next = Long.MAX_VALUE;
    for (LevelQueue q : levels.values()) next = Math.min(next, q.headReadyAt());
    for (Batch b : retries) next = Math.min(next, b.retryAt);
    long wait = next == Long.MAX_VALUE ? MAX_POLL_MILLIS : Math.max(1, Math.min(MAX_POLL_MILLIS, next - now));
    // Completions only arrive between polls; keep the wait short while batches run.
    return running > 0 ? Math.min(wait, BUSY_POLL_MILLIS) : wait;
  }

  private void commitFinished(Collection<LevelQueue> queues, boolean sync) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (LevelQueue q : queues) {
      if (q.offsets.hasUncommitted()) offsets.put(q.partition, new OffsetAndMetadata(q.offsets.committable()));
    }
    if (offsets.isEmpty()) return;
    try {
      if (sync) {
        consumer.commitSync(offsets, Duration.ofSeconds(10));
        markCommitted(offsets);
      } else {
        consumer.commitAsync(offsets, (done, error) -> {
          if (error == null) markCommitted(done);
          else log.debug("offset commit failed, retried with the next: {}", error.toString());
        });
      }
    } catch (RuntimeException e) {
      log.warn("offset commit failed; the deadlines past the last commit are redelivered and acted on again: {}", e.toString());
    }
  }

  private void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((tp, o) -> {
      LevelQueue q = levels.get(tp);
      if (q != null) q.offsets.committed(o.offset());
    });
  }

  /** Waits, bounded, for the running batches of these levels, so their work is committed before they change hands. */
  private void awaitRunning(Collection<LevelQueue> queues) {
    long deadline = System.currentTimeMillis() + drainTimeout.toMillis();
    while (queues.stream().anyMatch(q -> q.running > 0) && System.currentTimeMillis() < deadline) {
      drainFinished(System.currentTimeMillis());
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    drainFinished(System.currentTimeMillis());
  }

  private void publishGauges(long now) {
    List<DelayStats.Level> out = new ArrayList<>();
    for (LevelQueue q : levels.values()) {
      int level = q.level();
      long delay = level < config.levels().count() ? config.levels().delayMillis(level) : 0;
      long head = q.headReadyAt();
      out.add(new DelayStats.Level(level, delay, consumer.currentLag(q.partition).orElse(-1), q.heldCount(),
          head == Long.MAX_VALUE ? -1 : Math.max(0, head - now)));
    }
    stats.levels(out);
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      List<LevelQueue> leaving = partitions.stream().map(levels::get).filter(q -> q != null).toList();
      if (commitOnStop) {
        awaitRunning(leaving);
        commitFinished(leaving, true);
      }
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) levels.put(tp, new LevelQueue(tp, config.levels()));
      assignedLevels = levels.size();
      if (!partitions.isEmpty()) log.info("delay levels assigned: {}", partitions.stream().map(TopicPartition::partition).sorted().toList());
    }

    private void forget(Collection<TopicPartition> partitions) {
      partitions.forEach(levels::remove);
      retries.removeIf(b -> partitions.contains(b.partition));
      owners.values().removeIf(q -> partitions.contains(q.partition));
      assignedLevels = levels.size();
    }
  }
}
