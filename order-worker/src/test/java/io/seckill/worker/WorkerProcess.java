package io.seckill.worker;

import io.seckill.platform.config.Env;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * An order worker alone in its JVM, configured by SECKILL_* env vars, as `./seckill order-worker`
 * runs it: the benchmark measures its heap and CPU apart from the broker, and tests can kill it
 * like a real process. Prints a STATS line every 250 ms; "stop" on stdin closes it gracefully and
 * prints FINAL.
 */
public final class WorkerProcess {
  public static void main(String[] args) throws Exception {
    HeapPeak heap = HeapPeak.start();
    Vertx vertx = Vertx.vertx();
    OrderWorker worker = new OrderWorker(vertx, WorkerConfig.from(Env.system()));
    worker.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    Thread reporter =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                WorkerStats s = worker.stats();
                System.out.println(
                    "STATS "
                        + System.currentTimeMillis()
                        + " "
                        + s.ordersInserted()
                        + " "
                        + s.duplicates()
                        + " "
                        + s.batches()
                        + " "
                        + heap.peakMb());
                try {
                  Thread.sleep(250);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "reporter");
    reporter.setDaemon(true);
    reporter.start();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.trim().equals("stop")) break;
    }
    worker.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += gc.getCollectionCount();
      gcMillis += gc.getCollectionTime();
    }
    System.out.println(
        "FINAL heapPeakMb="
            + heap.peakMb()
            + " gcCount="
            + gcCount
            + " gcMillis="
            + gcMillis
            + " "
            + worker.stats());
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    System.exit(0);
  }

  /**
   * The highest heap occupancy seen, sampled every 20 ms (garbage included, as a heap limit would
   * see it).
   */
  static final class HeapPeak {
    private volatile long peak;

    static HeapPeak start() {
      HeapPeak p = new HeapPeak();
      Thread t =
          new Thread(
              () -> {
                var memory = ManagementFactory.getMemoryMXBean();
                while (true) {
                  p.peak = Math.max(p.peak, memory.getHeapMemoryUsage().getUsed());
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "heap-peak");
      t.setDaemon(true);
      t.start();
      return p;
    }

    long peakMb() {
      return peak / (1024 * 1024);
    }
  }
}
