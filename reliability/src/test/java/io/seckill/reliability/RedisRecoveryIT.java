package io.seckill.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.judge.Attempt;
import io.seckill.judge.Checker;
import io.seckill.judge.Ledger;
import io.seckill.platform.testing.Await;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The honest half of the Redis fault. appendfsync everysec writes every command to the append-only
 * file before the client gets its reply, so a killed redis-server loses nothing acknowledged
 * (FaultScenariosIT shows it); what it can lose is what the kernel had not yet written to disk when
 * the machine itself went down: up to about a second of writes. That is simulated here by cutting
 * that tail off the file, and the recovery path is shown: `seckill reconcile` rebuilds the sale's
 * Redis state from PostgreSQL plus the reservations Redis still holds, and the audit is consistent.
 */
class RedisRecoveryIT {
  static final Pipeline p = Pipeline.shared();
  static final Shop shop = new Shop(p);

  @Test
  void redisLosingItsLastSecondOfWritesIsRepairedByReconcileFromPostgresqlPlusReservations()
      throws Exception {
    p.heal();
    int stock = 300;
    long sale = shop.createSale("redis recovery", stock, 600);
    Ledger ledger = new Ledger();
    Await.await(
        new Rush(p, sale, ledger, "rr-" + System.currentTimeMillis() % 100_000, false)
            .run(200, 50, 100),
        300);
    assertThat(shop.drain(sale, false, 120).getBoolean("consistent")).isTrue();

    Path aof = p.stack.redis().dataDir().resolve("appendonly.aof");
    assertThat(Files.exists(aof)).as("append-only file " + aof).isTrue();
    Thread.sleep(1500);
    long durable = Files.size(aof);

    // The "last second": 30 buyers cancel (stock returned in Redis), 20 new buyers are admitted and
    // persisted.
    List<Map.Entry<String, String>> held =
        new ArrayList<>(ledger.accepted().entrySet()).subList(0, 30);
    for (Map.Entry<String, String> e : held) {
      HttpResponse<Buffer> r =
          Await.await(
              p.http
                  .get(0)
                  .delete("/api/orders/" + e.getKey())
                  .putHeader("authorization", shop.user(e.getValue()))
                  .send(),
              30);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    }
    Ledger late = new Ledger();
    Await.await(
        new Rush(p, sale, late, "rr-late-" + System.currentTimeMillis() % 100_000, false)
            .run(20, 50, 20),
        120);
    assertThat(late.accepted()).hasSize(20);
    JsonObject before = shop.drain(sale, false, 120);
    assertThat(before.getBoolean("consistent")).as(before.encodePrettily()).isTrue();
    long lostBytes = Files.size(aof) - durable;

    // The machine goes down: the kernel never wrote the tail. Kill redis, cut the tail, start it
    // again.
    long pid = p.stack.redis().pid();
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) Thread.sleep(10);
    try (RandomAccessFile f = new RandomAccessFile(aof.toFile(), "rw")) {
      f.setLength(durable);
    }
    p.stack.redis().stop();
    p.stack.redis().start();
    JsonObject broken = shop.audit(sale);

    // The recovery path: the operator runs `seckill reconcile --sale ID` with the workers drained.
    long t = System.nanoTime();
    String output = reconcile(sale);
    long reconcileMillis = (System.nanoTime() - t) / 1_000_000;
    JsonObject repaired = shop.drain(sale, false, 60);
    List<Attempt> attempts = new ArrayList<>(ledger.snapshot());
    attempts.addAll(late.snapshot());
    Checker.Report c = Checker.check(attempts, shop.orders(sale), stock);
    long live =
        repaired.getJsonObject("ordersByStatus").getLong("PENDING_PAYMENT")
            + repaired.getJsonObject("ordersByStatus").getLong("PAID");
    String failed =
        broken.getJsonArray("invariants").stream()
            .map(o -> (JsonObject) o)
            .filter(o -> !o.getBoolean("holds"))
            .map(o -> o.getString("name"))
            .toList()
            .toString();
    Results.note(
        p,
        "scenarios.log",
        "redis recovery: cut "
            + lostBytes
            + " bytes of AOF; audit after restart "
            + broken.encode()
            + "\nreconcile: "
            + output
            + "\naudit after reconcile "
            + repaired.encode()
            + "\nchecker "
            + c.render());
    assertThat(broken.getBoolean("consistent"))
        .as("losing the tail must show in the audit: %s", broken)
        .isFalse();
    assertThat(repaired.getBoolean("consistent")).as(repaired.encodePrettily()).isTrue();
    assertThat(repaired.getLong("redisStockLeft")).isEqualTo(stock - live);
    assertThat(c.passed()).as(c.render()).isTrue();
    Results.add(
        p,
        new Results.Row(
            "Redis loses its last second of writes (machine crash with AOF everysec: AOF tail of "
                + lostBytes
                + " bytes cut), then `seckill reconcile`",
            "200 buyers, then 30 cancellations and 20 purchases in the lost second",
            ledger.requests() + late.requests() + 30,
            c.lost(),
            c.duplicated(),
            c.oversold(),
            true,
            String.format("%.1f s (reconcile)", reconcileMillis / 1000.0),
            "audit after the restart: inconsistent "
                + failed
                + "; after reconcile consistent, stock "
                + repaired.getLong("redisStockLeft")
                + " = "
                + stock
                + " - "
                + live
                + " held"));
  }

  private static String reconcile(long sale) throws Exception {
    Path log = p.out.resolve("logs/reconcile.log");
    String cp = Pipeline.serviceClasspathForTools();
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                cp,
                "io.seckill.launcher.Seckill",
                "reconcile",
                "--sale",
                Long.toString(sale))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(p.baseEnv);
    Process proc = pb.start();
    assertThat(proc.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(proc.exitValue()).as(out).isZero();
    return out.strip();
  }
}
