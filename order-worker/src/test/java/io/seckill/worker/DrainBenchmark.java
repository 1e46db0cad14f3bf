package io.seckill.worker;

import io.seckill.infra.DevStack;
import io.seckill.platform.config.Setting;
import io.seckill.platform.config.Settings;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.store.Sale;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drains a backlog of admitted orders with one worker process and prints orders/s, the worker's
 * heap peak and where the CPU went. Not a test: run it by hand (order-worker/bench/drain.sh).
 * Arguments: orders (500000), partitions (12), worker heap (-Xmx, 512m), admit|reserve (reserve),
 * worker processes (1); extra SECKILL_* settings for the worker may be given as env vars.
 */
public final class DrainBenchmark {
  public static void main(String[] args) throws Exception {
    int orders = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    String partitions = args.length > 1 ? args[1] : "12";
    String xmx = args.length > 2 ? args[2] : "512m";
    // "admit" runs every order through admit.lua first (slow on a busy machine); "reserve" writes
    // the same reservations in bulk.
    boolean admit = args.length > 3 && args[3].equals("admit");
    int workers = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    CpuLock backlogLock = CpuLock.take("-s");
    Map<String, String> overrides = new HashMap<>();
    overrides.put(Settings.ORDERS_PARTITIONS.env(), partitions);
    for (Setting s : Settings.all()) {
      if (s.env().startsWith("SECKILL_WORKER_") || s.env().equals(Settings.PG_POOL_SIZE.env())) {
        String v = System.getenv(s.env());
        if (v != null) overrides.put(s.env(), v);
      }
    }
    try (Fixture f = new Fixture("bench", overrides)) {
      long saleId = Fixture.newSaleId();
      Sale sale = f.createSale(saleId, orders, true);
      long t = System.nanoTime();
      List<OrderMessage> backlog =
          admit
              ? f.admit(sale, saleId * 1_000_000, orders)
              : f.reserveDirectly(sale, saleId * 1_000_000, orders);
      System.out.printf(
          "%s %,d orders in Redis in %.1f s%n",
          admit ? "admitted" : "reserved", orders, (System.nanoTime() - t) / 1e9);
      t = System.nanoTime();
      f.send(backlog);
      System.out.printf(
          "backlog of %,d records on %s partitions in %.1f s%n",
          f.records(f.servers.topics().orders()), partitions, (System.nanoTime() - t) / 1e9);
      backlog = null;

      // The drain is the measured part: it runs alone on the machine (flock -x); the backlog was
      // built under -s.
      backlogLock.release();
      CpuLock exclusive = CpuLock.take("-x");
      List<Process> processes = new ArrayList<>();
      for (int i = 0; i < workers; i++)
        processes.add(f.launchWorkerProcess(xmx, ProcessBuilder.Redirect.PIPE));
      long[] pids = processes.stream().mapToLong(Process::pid).toArray();
      Progress progress = new Progress(workers, orders);
      List<Thread> readers = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        int index = i;
        Thread reader = new Thread(() -> read(processes.get(index), index, progress, pids));
        reader.start();
        readers.add(reader);
      }
      Fixture.eventually(
          java.time.Duration.ofMinutes(10), "all inserted", () -> progress.doneAt != 0);
      Map<String, Long> cpuAtDone = cpu(pids);
      String group = f.env.get(Settings.WORKER_GROUP);
      Fixture.eventually(
          java.time.Duration.ofMinutes(1),
          "committed to the end",
          () -> f.committedToTheEnd(group));
      long committedAt = System.currentTimeMillis();
      for (Process worker : processes) {
        try (Writer w = new OutputStreamWriter(worker.getOutputStream(), StandardCharsets.UTF_8)) {
          w.write("stop\n");
        }
      }
      for (Thread reader : readers) reader.join(60_000);
      for (Process worker : processes) worker.waitFor();
      exclusive.release();

      double seconds = (progress.doneAt - progress.firstAt) / 1000.0;
      System.out.printf(
          "%n=== drain of %,d orders, %s partitions, %d worker process(es), -Xmx%s each ===%n",
          orders, partitions, workers, xmx);
      System.out.printf(
          "rows in PostgreSQL: %,d (PENDING_PAYMENT %,d)%n",
          f.rows(saleId), f.rows(saleId, "PENDING_PAYMENT"));
      System.out.printf(
          "first row to last row: %.2f s -> %,.0f orders/s%n", seconds, orders / seconds);
      System.out.printf(
          "last row to offsets committed to the end: %d ms%n",
          Math.max(0, committedAt - progress.doneAt));
      System.out.printf(
          "deadline records on the delay topic: %,d%n", f.records(f.servers.topics().delay()));
      for (int i = 0; i < workers; i++) System.out.println("worker " + i + " " + progress.fin[i]);
      System.out.println(
          "CPU seconds during the drain (2 cores = "
              + String.format("%.1f", 2 * seconds)
              + " available):");
      double total = 0;
      for (Map.Entry<String, Long> e : cpuAtDone.entrySet()) {
        double used = (e.getValue() - progress.cpuAtFirst.getOrDefault(e.getKey(), 0L)) / 100.0;
        total += used;
        System.out.printf(
            "  %-28s %6.1f  (%5.1f us per order)%n", e.getKey(), used, used * 1e6 / orders);
      }
      // The machine is shared: wall-clock orders/s says as much about the neighbours as about the
      // worker. CPU per
      // order does not, and bounds what the same pipeline could do with both cores to itself.
      System.out.printf(
          "  %-28s %6.1f  (%5.1f us per order; the pipeline got %.0f%% of the machine)%n",
          "total", total, total * 1e6 / orders, 100 * total / (2 * seconds));
      System.out.printf(
          "ceiling with both cores to the pipeline: %,.0f orders/s%n", orders / total * 2);
    }
    System.exit(0);
  }

  /** Inserted rows per worker as last reported; the first and the last row over all of them. */
  static final class Progress {
    final long[] inserted;
    final String[] fin;
    final int orders;
    final Map<String, Long> cpuAtFirst = new HashMap<>();
    volatile long firstAt;
    volatile long doneAt;

    Progress(int workers, int orders) {
      inserted = new long[workers];
      fin = new String[workers];
      this.orders = orders;
    }

    synchronized void report(int worker, long at, long rows, long[] pids) {
      inserted[worker] = rows;
      if (rows > 0 && firstAt == 0) {
        firstAt = at;
        cpuAtFirst.putAll(cpu(pids));
      }
      if (java.util.Arrays.stream(inserted).sum() >= orders && doneAt == 0) doneAt = at;
    }
  }

  private static void read(Process p, int worker, Progress progress, long[] pids) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("STATS ")) {
          String[] x = line.split(" ");
          progress.report(worker, Long.parseLong(x[1]), Long.parseLong(x[2]), pids);
        } else if (line.startsWith("FINAL ")) {
          progress.fin[worker] = line.substring(6);
        } else {
          System.out.println("[worker " + worker + "] " + line);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The machine's CPU lock (flock(1) on /tmp/seckill-cpu.lock, which Java's own file locks do not
   * see): held by a child `flock` process for as long as it waits on its stdin.
   */
  static final class CpuLock {
    private final Process holder;

    private CpuLock(Process holder) {
      this.holder = holder;
    }

    static CpuLock take(String mode) throws IOException {
      Process p =
          new ProcessBuilder(
                  "flock", mode, "/tmp/seckill-cpu.lock", "sh", "-c", "echo locked; read x")
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String line =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      if (!"locked".equals(line)) throw new IllegalStateException("flock " + mode + " failed");
      System.out.println("holding the CPU lock " + mode);
      return new CpuLock(p);
    }

    void release() throws IOException, InterruptedException {
      holder.getOutputStream().write('\n');
      holder.getOutputStream().close();
      holder.waitFor();
    }
  }

  /**
   * CPU ticks (1/100 s) of the worker JVMs, this JVM (the Kafka broker and the benchmark),
   * PostgreSQL and Redis.
   */
  static Map<String, Long> cpu(long... workerPids) {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    long workers = 0;
    for (long pid : workerPids) workers += ticks(pid);
    out.put("order worker JVM(s)", workers);
    out.put("Kafka broker (+ bench) JVM", ticks(ProcessHandle.current().pid()));
    DevStack stack = DevStack.shared();
    long pg = ticks(stack.postgres().pid());
    for (ProcessHandle h :
        ProcessHandle.of(stack.postgres().pid())
            .map(ph -> ph.descendants().toList())
            .orElse(List.of())) {
      pg += ticks(h.pid());
    }
    out.put("PostgreSQL (all backends)", pg);
    out.put("Redis", ticks(stack.redis().pid()));
    return out;
  }

  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // Fields 14 and 15 of /proc/pid/stat (utime, stime); index from the state field, which is
      // field 3.
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
