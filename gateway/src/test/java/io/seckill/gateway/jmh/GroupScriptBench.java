package io.seckill.gateway.jmh;

import io.seckill.infra.DevStack;
import io.seckill.inventory.Admission;
import io.seckill.inventory.Inventory;
import io.seckill.inventory.Inventory.Candidate;
import io.seckill.inventory.PipelinedRedis;
import io.seckill.inventory.RedisKeys;
import io.seckill.platform.store.Sale;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * admit-group.lua (Inventory.admitGroup, pipelined as the gateway sends it) against the embedded
 * Redis of `up` (with its append-only file), one group at a time from one thread, at group sizes 1,
 * 8 and 64: time per order, round trip included. Every order is admitted (stock never runs out;
 * each order a new buyer with its own Idempotency-Key), so each pays the full write path. A fresh
 * sale per iteration; the previous one's keys are deleted. Run with bench/jmh.sh GroupScriptBench.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GroupScriptBench {
  private DevStack stack;
  private Vertx vertx;
  private Redis redis;
  private Inventory inventory;
  private long sale;
  private long next;

  @Setup(Level.Trial)
  public void setUp() {
    stack = DevStack.start(DevStack.Options.defaults());
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(stack.redisUri()));
    inventory = new Inventory(new PipelinedRedis(redis), Duration.ofSeconds(5));
  }

  @Setup(Level.Iteration)
  public void newSale() {
    sale = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    join(
        inventory.loadSale(
            new Sale(
                sale,
                "bench",
                1_000_000_000,
                100,
                Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(3600),
                1,
                900)));
  }

  @TearDown(Level.Iteration)
  public void dropSale() {
    join(
        redis.send(
            Request.cmd(Command.UNLINK)
                .arg(RedisKeys.sale(sale))
                .arg(RedisKeys.users(sale))
                .arg(RedisKeys.idempotency(sale))
                .arg(RedisKeys.reservations(sale))
                .arg(RedisKeys.pending(sale))));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    redis.close();
    join(vertx.close());
    stack.close();
  }

  @Benchmark
  @OperationsPerInvocation(1)
  public List<Admission> group1() {
    return admit(1);
  }

  @Benchmark
  @OperationsPerInvocation(8)
  public List<Admission> group8() {
    return admit(8);
  }

  @Benchmark
  @OperationsPerInvocation(64)
  public List<Admission> group64() {
    return admit(64);
  }

  private List<Admission> admit(int size) {
    List<Candidate> group = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      long id = ++next;
      group.add(new Candidate(id, "buyer-" + id, 1, "key-" + id));
    }
    List<Admission> out = join(inventory.admitGroup(sale, group));
    if (out.get(size - 1).outcome() != Admission.Outcome.OK)
      throw new IllegalStateException("not admitted: " + out);
    return out;
  }

  private static <T> T join(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().join();
  }
}
