package io.seckill.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer thread (seeds 001, 003: the thread that polls and commits while others do the work). It alone touches
 * the KafkaConsumer and all partition state. It cuts each partition's records into batches, hands at most
 * `concurrency` of them to the processor, learns of finished batches through a queue (plus a wakeup, so it does not
 * sleep through them), commits finished offsets by count and by time, and pauses partitions whose buffer is full:
 * a slow or failing database stops fetching, never polling, so the group keeps this member.
 */
final class ConsumerLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
  private static final long REDO_DELAY_MILLIS = 1000;

  /** Runs a batch somewhere else and reports its end: null when finished, else the failure. */
  interface BatchRunner {
    void run(Batch batch, Consumer<Throwable> done);
  }

  private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
  private final String topic;
  private final WorkerConfig config;
  private final WorkerStats stats;
  private final BatchRunner runner;
  private final Map<TopicPartition, PartitionWork> partitions = new LinkedHashMap<>();
  private final Queue<Runnable> completions = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakeupRequested = new AtomicBoolean();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private volatile boolean stopping;
  private volatile boolean halting;
  private int inFlight;
  private int rotation;
  private long lastCommitAt;
  private boolean commitFailing;

  ConsumerLoop(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, String topic, WorkerConfig config,
               WorkerStats stats, BatchRunner runner) {
    this.consumer = consumer;
    this.topic = topic;
    this.config = config;
    this.stats = stats;
    this.runner = runner;
  }

  /** Completes when the loop has ended and the consumer is closed. */
  CompletableFuture<Void> finished() {
    return finished;
  }

  /** Graceful: stop fetching, let in-flight batches finish (bounded), commit them, leave the group. */
  void stop() {
    stopping = true;
    consumer.wakeup();
  }

  /** Crash-like, for tests: leave at once, commit nothing; whatever was finished since the last commit is re-delivered. */
  void halt() {
    halting = true;
    stopping = true;
    consumer.wakeup();
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(topic), new Rebalance());
      lastCommitAt = System.nanoTime();
      while (!stopping) {
        poll(Duration.ofMillis(Math.min(100, config.commitInterval().toMillis())));
        drainCompletions();
        dispatch();
        commitIfDue();
        applyBackpressure();
      }
      if (!halting) drainAndCommit();
    } catch (Throwable e) {
      log.error("order worker consumer loop died; uncommitted records will be re-delivered to the group", e);
    } finally {
      try {
        consumer.close(halting ? Duration.ZERO : Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.warn("closing the consumer: {}", e.toString());
      }
      finished.complete(null);
    }
  }

  private void poll(Duration timeout) {
    ConsumerRecords<String, byte[]> records;
    long start = System.nanoTime();
    try {
      records = consumer.poll(timeout);
    } catch (WakeupException e) {
      return;
    } finally {
      stats.spent(WorkerStats.Step.POLL, System.nanoTime() - start);
    }
    if (records.isEmpty()) return;
    stats.consumed(records.count());
    for (TopicPartition tp : records.partitions()) {
      PartitionWork w = partitions.get(tp);
      // Records of a partition assigned while stopping are left for whoever gets it next.
      if (w != null && !stopping) w.add(records.records(tp));
    }
    for (PartitionWork w : partitions.values()) {
      consumer.currentLag(w.partition).ifPresent(lag -> stats.lag(w.name, lag + w.unfinished()));
    }
  }

  private void drainCompletions() {
    wakeupRequested.set(false);
    for (Runnable r; (r = completions.poll()) != null; ) r.run();
  }

  private void dispatch() {
    if (stopping || partitions.isEmpty()) return;
    List<PartitionWork> all = new ArrayList<>(partitions.values());
    int n = all.size();
    long now = System.nanoTime() / 1_000_000;
    // Start at a different partition each round, so a small concurrency does not always favour the first ones.
    for (int i = 0; i < n && inFlight < config.concurrency(); i++) {
      PartitionWork w = all.get((rotation + i) % n);
      Batch b = w.next(config.batchSize(), now);
      if (b == null) continue;
      w.inFlight = b;
      inFlight++;
      runner.run(b, failure -> {
        completions.add(() -> completed(w, b, failure));
        if (wakeupRequested.compareAndSet(false, true)) consumer.wakeup();
      });
    }
    rotation++;
  }

  private void completed(PartitionWork w, Batch b, Throwable failure) {
    inFlight--;
    if (w.revoked) return;
    w.inFlight = null;
    if (failure == null) {
      w.tracker.finish(b.firstOffset());
    } else if (!Failures.isCancelled(failure)) {
      log.error("batch {} failed unexpectedly; trying it again in {} ms", b.describe(), REDO_DELAY_MILLIS, failure);
      w.redo = b;
      w.redoAt = System.nanoTime() / 1_000_000 + REDO_DELAY_MILLIS;
    }
  }

  private void commitIfDue() {
    long finishedRecords = 0;
    boolean any = false;
    for (PartitionWork w : partitions.values()) {
      finishedRecords += w.tracker.finishedSinceCommit();
      any |= w.tracker.hasUncommitted();
    }
    if (!any) return;
    boolean byCount = finishedRecords >= config.commitEvery();
    boolean byTime = System.nanoTime() - lastCommitAt >= config.commitInterval().toNanos();
    if (byCount || byTime) commit(partitions.values());
  }

  /** Commits the finished offsets of these partitions; a failure is logged and the next commit covers it. */
  private void commit(Collection<PartitionWork> works) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (PartitionWork w : works) {
      if (w.tracker.hasUncommitted()) offsets.put(w.partition, new OffsetAndMetadata(w.tracker.committable()));
    }
    lastCommitAt = System.nanoTime();
    if (offsets.isEmpty()) return;
    long start = System.nanoTime();
    try {
      commitSync(offsets);
      for (PartitionWork w : works) {
        OffsetAndMetadata o = offsets.get(w.partition);
        if (o != null) w.tracker.committed(o.offset());
      }
      stats.committed((System.nanoTime() - start) / 1000);
      stats.spent(WorkerStats.Step.COMMIT, System.nanoTime() - start);
      if (commitFailing) log.info("offset commits succeed again");
      commitFailing = false;
    } catch (KafkaException e) {
      // Rebalance in progress, partitions lost, coordinator moving: those records may be re-delivered, never skipped.
      if (!commitFailing) log.warn("offset commit failed, will retry with the next one: {}", e.toString());
      commitFailing = true;
    }
  }

  private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    while (true) {
      try {
        consumer.commitSync(offsets, COMMIT_TIMEOUT);
        return;
      } catch (WakeupException e) {
        // A batch finished while committing; its wakeup is meant for poll, not for this commit.
      }
    }
  }

  private void applyBackpressure() {
    int max = config.maxBufferedPerPartition();
    List<TopicPartition> pause = new ArrayList<>();
    List<TopicPartition> resume = new ArrayList<>();
    for (PartitionWork w : partitions.values()) {
      if (!w.paused && w.buffered() >= max) {
        w.paused = true;
        pause.add(w.partition);
      } else if (w.paused && w.buffered() < max / 2) {
        w.paused = false;
        resume.add(w.partition);
      }
    }
    if (!pause.isEmpty()) consumer.pause(pause);
    if (!resume.isEmpty()) consumer.resume(resume);
  }

  private void drainAndCommit() {
    consumer.pause(consumer.assignment());
    for (PartitionWork w : partitions.values()) {
      w.dropBuffered();
      w.redo = null;
    }
    long deadline = System.nanoTime() + config.closeTimeout().toNanos();
    while (inFlight > 0 && System.nanoTime() < deadline) {
      poll(Duration.ofMillis(50));
      drainCompletions();
    }
    if (inFlight > 0) {
      log.warn("closing with {} batches still in flight; their records will be re-delivered", inFlight);
    }
    commit(partitions.values());
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      if (revoked.isEmpty()) return;
      List<PartitionWork> leaving = new ArrayList<>();
      for (TopicPartition tp : revoked) {
        PartitionWork w = partitions.get(tp);
        if (w != null) leaving.add(w);
      }
      // What is finished is committed; what is in flight is dropped (its result is ignored) and re-done by the next owner.
      // KafkaConsumer.close() revokes too: a halt (a simulated crash) must not get a last commit out of it.
      if (!halting) commit(leaving);
      drop(revoked);
      log.info("partitions revoked: {}", revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      drop(lost);
      log.warn("partitions lost (not committed, will be re-delivered elsewhere): {}", lost);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      if (assigned.isEmpty()) return;
      for (TopicPartition tp : assigned) partitions.put(tp, new PartitionWork(tp));
      if (stopping) consumer.pause(assigned);
      log.info("partitions assigned: {}", assigned);
    }

    private void drop(Collection<TopicPartition> gone) {
      for (TopicPartition tp : gone) {
        PartitionWork w = partitions.remove(tp);
        if (w != null) {
          w.revoked = true;
          w.dropBuffered();
        }
        stats.forgetLag(tp.toString());
      }
    }
  }
}
