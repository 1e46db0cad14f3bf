package io.seckill.reliability;

import io.seckill.platform.store.Postgres;
import io.seckill.platform.testing.Await;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway-kill scenario's evidence when deadlines run late: per-process CPU every 250 ms
 * (diag-cpu.log) and the sale's orders cancelled more than 1 s past their deadline, with their
 * timings relative to the kill and the restart (diag.log). It asserts nothing; the audit does.
 */
final class Diag implements AutoCloseable {
  private final Pipeline p;
  private final StringBuilder out = new StringBuilder();
  private final Thread sampler;
  private volatile boolean stop;

  Diag(Pipeline p) {
    this.p = p;
    sampler = new Thread(this::sample, "diag-cpu");
    sampler.setDaemon(true);
    sampler.start();
  }

  private static long ticks(long pid) {
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (Exception e) {
      return -1;
    }
  }

  private String label(ProcessHandle h) {
    for (ServiceProcess sp : p.all()) if (sp.pid() == h.pid()) return sp.name + "#" + h.pid();
    String cmd = h.info().commandLine().orElse(h.info().command().orElse("?"));
    if (cmd.contains("kafka.Kafka") || cmd.contains("server.properties") || cmd.contains("kafka"))
      return (cmd.contains("controller") ? "kctl" : "kafka") + h.pid();
    if (cmd.contains("redis-server")) return "redis";
    if (cmd.contains("postgres")) return "pg" + h.pid();
    for (String k : new String[] {"gateway", "order-worker", "delay-service"})
      if (cmd.contains(" " + k) || cmd.endsWith(k)) return k + h.pid();
    return "p" + h.pid() + ":" + cmd.substring(0, Math.min(30, cmd.length())).replace(' ', '_');
  }

  private void sample() {
    Map<Long, Long> last = new LinkedHashMap<>();
    Map<Long, String> names = new LinkedHashMap<>();
    long self = ProcessHandle.current().pid();
    while (!stop) {
      List<ProcessHandle> all = new ArrayList<>(ProcessHandle.current().descendants().toList());
      StringBuilder line = new StringBuilder();
      line.append(System.currentTimeMillis());
      long t = ticks(self);
      line.append(" test=").append(last.containsKey(self) ? t - last.get(self) : 0);
      last.put(self, t);
      for (ProcessHandle h : all) {
        long pid = h.pid();
        String n = names.get(pid);
        if (n == null || n.startsWith("p")) {
          n = label(h);
          names.put(pid, n);
        }

        long c = ticks(pid);
        if (c < 0) continue;
        Long before = last.put(pid, c);
        if (before != null && c - before > 0)
          line.append(' ').append(n).append('=').append(c - before);
      }
      synchronized (out) {
        out.append(line).append('\n');
      }
      Await.sleep(250);
    }
  }

  void lateOrders(long saleId, long killedAt, long restartedAt) {
    Pool pool = Postgres.pool(p.vertx, p.servers, "diag");
    try {
      var rows =
          Await.await(
              pool.preparedQuery(
                      "select id, extract(epoch from admitted_at)*1000 a, extract(epoch from created_at)*1000 c,"
                          + " extract(epoch from expires_at)*1000 e, extract(epoch from cancelled_at)*1000 x"
                          + " from orders where sale_id = $1 and cancel_reason = 'TIMEOUT'"
                          + " and cancelled_at > expires_at + interval '1 second' order by expires_at")
                  .execute(Tuple.of(saleId)),
              60);
      StringBuilder b = new StringBuilder();
      b.append("late orders (>1 s) of sale ")
          .append(saleId)
          .append(": ")
          .append(rows.size())
          .append(" killedAt=")
          .append(killedAt)
          .append(" restartedAt=")
          .append(restartedAt)
          .append('\n');
      for (Row r : rows) {
        double a = r.getDouble("a"),
            c = r.getDouble("c"),
            e = r.getDouble("e"),
            x = r.getDouble("x");
        b.append(
            String.format(
                "id=%d admit-kill=%.0f created-kill=%.0f expires-kill=%.0f late=%.0f created-admit=%.0f expires=%.0f cancelled=%.0f%n",
                r.getLong("id"), a - killedAt, c - killedAt, e - killedAt, x - e, c - a, e, x));
      }
      var hist =
          Await.await(
              pool.preparedQuery(
                      "select floor(extract(epoch from (cancelled_at - expires_at))*4)/4 b, count(*) n from orders"
                          + " where sale_id = $1 and cancel_reason = 'TIMEOUT' group by 1 order by 1")
                  .execute(Tuple.of(saleId)),
              60);
      b.append("lateness histogram (s, count):");
      for (Row r : hist) b.append(' ').append(r.getValue("b")).append(':').append(r.getLong("n"));
      b.append('\n');
      Results.note(p, "diag.log", b.toString());
    } finally {
      pool.close();
    }
  }

  @Override
  public void close() {
    stop = true;
    try {
      sampler.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (out) {
      Results.note(p, "diag-cpu.log", out.toString());
    }
  }
}
