package io.seckill.platform.kafka;

import io.seckill.platform.kafka.ConsumerPolicy.Lane;
import io.seckill.platform.kafka.ConsumerPolicy.Sample;
import io.seckill.platform.kafka.ConsumerPolicy.Work;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one consumer thread of a service (seeds 001, 003: one thread polls and commits while others
 * do the work). It alone touches the KafkaConsumer and the partition state; a {@link
 * ConsumerPolicy} says how records become batches and runs them elsewhere. Its promises: an offset
 * is committed only past finished work, so a crash redelivers and never skips; a revocation commits
 * what has finished; a halt commits nothing.
 *
 * <p>The choices, and why:
 *
 * <ul>
 *   <li><b>A finished batch wakes the consumer</b> ({@code consumer.wakeup()}, once per burst of
 *       completions) rather than the consumer polling every few milliseconds while batches run: its
 *       offsets and the partition's next batch go out at once, and a waiting consumer costs no
 *       polls. The price is that a wakeup may land in any blocking consumer call; this class makes
 *       only poll and commitSync, and repeats a commit a wakeup cut short.
 *   <li><b>Commits are synchronous</b>, by count or by time. A commit every few hundred
 *       milliseconds costs one broker round trip on a thread that otherwise waits for batches; in
 *       return the loop knows what is committed before it commits again (no callbacks arriving out
 *       of order), and revocation and shutdown, which must have committed before they return, use
 *       the same call.
 *   <li><b>A failed batch is run again after a capped exponential back-off</b> ({@link
 *       LoopSettings#maxBackoff}, from each service's config), never dropped: batches are
 *       idempotent, and giving one up would commit past work not done.
 *   <li><b>A revocation commits what finished and drops what runs</b>, without waiting: a rebalance
 *       must not wait on a database that may be down, and the next owner redoes the dropped batches
 *       from the committed offset.
 *   <li><b>Backpressure pauses partitions, never polling</b>: a lane that is full or holds records
 *       not yet due stops fetching, the thread keeps polling, so the group keeps this member
 *       however slow the work is.
 * </ul>
 */
public final class ConsumerLoop<B extends Work, L extends Lane<B>> implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

  /** The longest poll: how late a stop, a due commit or a gauge sample may be noticed. */
  private static final long MAX_POLL_MILLIS = 100;

  /** Polls while draining on stop are short: only completions are awaited then. */
  private static final Duration DRAIN_POLL = Duration.ofMillis(50);

  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final long SAMPLE_INTERVAL_MILLIS = 1000;

  private final Consumer<String, byte[]> consumer;
  private final LoopSettings settings;
  private final ConsumerPolicy<B, L> policy;
  private final Backoff backoff;
  private final Map<TopicPartition, Assigned> partitions = new LinkedHashMap<>();
  private final Queue<Runnable> completions = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakeupRequested = new AtomicBoolean();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private volatile boolean stopping;
  private volatile boolean halting;
  private volatile int assignedCount;
  private int inFlight;
  private int rotation;
  private long lastCommitAt;
  private long lastSampleAt;
  private boolean commitFailing;

  /** A batch that failed, waiting for its next attempt. */
  private record Retry<B>(B batch, int attempt, long atMillis) {}

  /**
   * One assigned partition; a new one per assignment, so late completions for a revoked partition
   * are recognised.
   */
  private final class Assigned {
    final TopicPartition partition;
    final L lane;
    final OffsetTracker tracker = new OffsetTracker();
    final ArrayDeque<Retry<B>> retries = new ArrayDeque<>();
    int busy;
    long unfinishedRecords;
    boolean paused;
    boolean revoked;

    Assigned(TopicPartition partition, L lane) {
      this.partition = partition;
      this.lane = lane;
    }
  }

  public ConsumerLoop(
      Consumer<String, byte[]> consumer, LoopSettings settings, ConsumerPolicy<B, L> policy) {
    this.consumer = consumer;
    this.settings = settings;
    this.policy = policy;
    this.backoff = new Backoff(settings.maxBackoff());
  }

  /**
   * Completes when the loop has ended and the consumer is closed: after stop() or halt(), or if it
   * died.
   */
  public CompletableFuture<Void> finished() {
    return finished;
  }

  /** Partitions assigned to this member right now. Safe from any thread. */
  public int assignedPartitions() {
    return assignedCount;
  }

  /**
   * Graceful: stop fetching, let running batches finish (bounded by the drain timeout), commit
   * them, leave the group.
   */
  public void stop() {
    stopping = true;
    consumer.wakeup();
  }

  /**
   * As a crash would: leave at once, commit nothing; what finished since the last commit is
   * redelivered.
   */
  public void halt() {
    halting = true;
    stopping = true;
    consumer.wakeup();
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(settings.topic()), new Rebalance());
      lastCommitAt = System.nanoTime();
      while (!stopping) {
        poll(Duration.ofMillis(pollTimeoutMillis()));
        long now = System.currentTimeMillis();
        drainCompletions();
        dispatch(now);
        commitIfDue();
        pauseOrResume();
        sampleIfDue(now);
      }
      if (!halting) drainAndCommit();
    } catch (Throwable e) {
      log.error(
          "consumer loop of {} died; uncommitted records will be redelivered to the group",
          settings.topic(),
          e);
    } finally {
      try {
        consumer.close(halting ? Duration.ZERO : CLOSE_TIMEOUT);
      } catch (RuntimeException e) {
        log.warn("closing the consumer of {}: {}", settings.topic(), e.toString());
      }
      try {
        // A stopped consumer owns nothing: its gauges must not go on showing the last lag it saw.
        policy.sampled(System.currentTimeMillis(), List.of());
      } finally {
        finished.complete(null);
      }
    }
  }

  private void poll(Duration timeout) {
    ConsumerRecords<String, byte[]> records;
    long start = System.nanoTime();
    try {
      records = consumer.poll(timeout);
    } catch (WakeupException e) {
      records = ConsumerRecords.empty();
    }
    policy.polled(records.count(), System.nanoTime() - start);
    if (records.isEmpty()) return;
    for (TopicPartition tp : records.partitions()) {
      Assigned a = partitions.get(tp);
      // Records of a partition assigned while stopping are left for whoever reads it next.
      if (a != null && !stopping) a.lane.add(records.records(tp));
    }
  }

  /**
   * Until the next thing no record or completion announces: a commit falling due, a held head, a
   * retry.
   */
  private long pollTimeoutMillis() {
    long wait = Math.min(MAX_POLL_MILLIS, settings.commitInterval().toMillis());
    // With every slot taken only a completion can start anything, and it wakes the consumer itself.
    if (inFlight >= settings.maxInFlight()) return wait;
    long now = System.currentTimeMillis();
    for (Assigned a : partitions.values()) {
      wait = Math.min(wait, until(a.lane.readyAt(), now));
      for (Retry<B> r : a.retries) wait = Math.min(wait, until(r.atMillis(), now));
    }
    return wait;
  }

  private static long until(long atMillis, long now) {
    return atMillis <= now ? 0 : atMillis - now;
  }

  private void drainCompletions() {
    wakeupRequested.set(false);
    for (Runnable r; (r = completions.poll()) != null; ) r.run();
  }

  private void dispatch(long now) {
    if (stopping || partitions.isEmpty()) return;
    List<Assigned> all = new ArrayList<>(partitions.values());
    int n = all.size();
    // Start at a different partition each round, so a small concurrency does not always favour the
    // first ones.
    int start = Math.floorMod(rotation++, n);
    int before = inFlight;
    for (int i = 0; i < n && inFlight < settings.maxInFlight(); i++) {
      Assigned a = all.get((start + i) % n);
      for (Iterator<Retry<B>> it = a.retries.iterator();
          it.hasNext() && inFlight < settings.maxInFlight(); ) {
        Retry<B> r = it.next();
        if (r.atMillis() > now) continue;
        it.remove();
        launch(a, r.batch(), r.attempt());
      }
      while (inFlight < settings.maxInFlight()) {
        B b = a.lane.next(a.busy, now);
        if (b == null) break;
        a.tracker.add(b.firstOffset(), b.lastOffset(), b.records());
        a.busy++;
        a.unfinishedRecords += b.records();
        launch(a, b, 1);
      }
    }
    if (inFlight != before) policy.dispatched();
  }

  private void launch(Assigned a, B b, int attempt) {
    inFlight++;
    java.util.function.Consumer<Throwable> done =
        failure -> {
          completions.add(() -> completed(a, b, attempt, failure));
          if (wakeupRequested.compareAndSet(false, true)) consumer.wakeup();
        };
    try {
      policy.run(b, done);
    } catch (RuntimeException e) {
      done.accept(e);
    }
  }

  private void completed(Assigned a, B b, int attempt, Throwable failure) {
    inFlight--;
    if (a.revoked || halting) return;
    if (failure == null) {
      a.busy--;
      a.unfinishedRecords -= b.records();
      a.tracker.finish(b.firstOffset());
    } else if (failure instanceof CancellationException || stopping) {
      // Given up on while stopping: neither retried nor committed, so it is redelivered.
      a.busy--;
      a.unfinishedRecords -= b.records();
    } else {
      long delay = backoff.delayMillis(attempt);
      policy.failed(b, attempt, delay, failure);
      a.retries.add(new Retry<>(b, attempt + 1, System.currentTimeMillis() + delay));
    }
  }

  private void commitIfDue() {
    long finishedRecords = 0;
    boolean any = false;
    for (Assigned a : partitions.values()) {
      finishedRecords += a.tracker.finishedSinceCommit();
      any |= a.tracker.hasUncommitted();
    }
    if (!any) return;
    boolean byCount = finishedRecords >= settings.commitEvery();
    boolean byTime = System.nanoTime() - lastCommitAt >= settings.commitInterval().toNanos();
    if (byCount || byTime) commit(partitions.values());
  }

  /**
   * Commits the finished offsets of these partitions; a failure is logged and the next commit
   * covers it.
   */
  private void commit(Collection<Assigned> which) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Assigned a : which) {
      if (a.tracker.hasUncommitted())
        offsets.put(a.partition, new OffsetAndMetadata(a.tracker.committable()));
    }
    lastCommitAt = System.nanoTime();
    if (offsets.isEmpty()) return;
    long start = System.nanoTime();
    try {
      commitSync(offsets);
      for (Assigned a : which) {
        OffsetAndMetadata o = offsets.get(a.partition);
        if (o != null) a.tracker.committed(o.offset());
      }
      policy.committed(System.nanoTime() - start);
      if (commitFailing) log.info("offset commits on {} succeed again", settings.topic());
      commitFailing = false;
    } catch (KafkaException e) {
      // Rebalance in progress, partitions lost, coordinator moving: those records may be
      // redelivered, never skipped.
      if (!commitFailing)
        log.warn(
            "offset commit on {} failed, the next one covers it: {}",
            settings.topic(),
            e.toString());
      commitFailing = true;
    }
  }

  private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    boolean swallowed = false;
    while (true) {
      try {
        consumer.commitSync(offsets, COMMIT_TIMEOUT);
        break;
      } catch (WakeupException e) {
        // A batch finished while committing; its wakeup is meant for poll, not for this commit.
        swallowed = true;
      }
    }
    // Passed on, so the next poll returns at once instead of leaving that completion waiting for a
    // poll timeout.
    if (swallowed) consumer.wakeup();
  }

  private void pauseOrResume() {
    List<TopicPartition> pause = new ArrayList<>();
    List<TopicPartition> resume = new ArrayList<>();
    for (Assigned a : partitions.values()) {
      boolean hold = a.lane.holdFetching();
      if (hold && !a.paused) pause.add(a.partition);
      if (!hold && a.paused) resume.add(a.partition);
      a.paused = hold;
    }
    if (!pause.isEmpty()) consumer.pause(pause);
    if (!resume.isEmpty()) consumer.resume(resume);
  }

  private void sampleIfDue(long now) {
    if (now - lastSampleAt < SAMPLE_INTERVAL_MILLIS) return;
    lastSampleAt = now;
    List<Sample<L>> samples = new ArrayList<>(partitions.size());
    for (Assigned a : partitions.values()) {
      long lag = consumer.currentLag(a.partition).orElse(-1);
      samples.add(new Sample<>(a.partition, a.lane, lag, a.lane.buffered() + a.unfinishedRecords));
    }
    policy.sampled(now, samples);
  }

  private void drainAndCommit() {
    consumer.pause(consumer.assignment());
    for (Assigned a : partitions.values()) {
      a.lane.clear();
      a.retries.clear();
    }
    long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
    while (inFlight > 0 && System.nanoTime() < deadline) {
      poll(DRAIN_POLL);
      drainCompletions();
    }
    if (inFlight > 0) {
      log.warn(
          "stopping with {} batches of {} still running; their records will be redelivered",
          inFlight,
          settings.topic());
    }
    commit(partitions.values());
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      if (revoked.isEmpty()) return;
      List<Assigned> leaving = new ArrayList<>();
      for (TopicPartition tp : revoked) {
        Assigned a = partitions.get(tp);
        if (a != null) leaving.add(a);
      }
      // KafkaConsumer.close() revokes too: a halt (a simulated crash) must not get a last commit
      // out of it.
      if (!halting) commit(leaving);
      drop(revoked);
      log.info("partitions of {} revoked: {}", settings.topic(), numbers(revoked));
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      drop(lost);
      log.warn(
          "partitions of {} lost (not committed, redelivered elsewhere): {}",
          settings.topic(),
          numbers(lost));
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      if (assigned.isEmpty()) return;
      for (TopicPartition tp : assigned) partitions.put(tp, new Assigned(tp, policy.assigned(tp)));
      if (stopping) {
        consumer.pause(assigned);
        assigned.forEach(tp -> partitions.get(tp).paused = true);
      }
      assignedCount = partitions.size();
      log.info("partitions of {} assigned: {}", settings.topic(), numbers(assigned));
    }

    private void drop(Collection<TopicPartition> gone) {
      for (TopicPartition tp : gone) {
        Assigned a = partitions.remove(tp);
        if (a != null) {
          a.revoked = true;
          a.lane.clear();
        }
      }
      assignedCount = partitions.size();
      lastSampleAt =
          0; // the next round samples afresh, so partitions gone leave the gauges at once
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
      return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }
  }
}
