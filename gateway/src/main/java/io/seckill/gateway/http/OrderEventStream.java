package io.seckill.gateway.http;

import io.seckill.platform.store.Order;
import io.seckill.platform.store.OrderStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/** One SSE connection: pushes an order's status whenever it changes; ends at a final status or after 15 minutes. */
final class OrderEventStream {
  private static final long POLL_MILLIS = 500;
  private static final long HEARTBEAT_MILLIS = 15_000;
  private static final long MAX_MILLIS = 15 * 60_000;
  private static final Set<OrderStatus> FINAL = EnumSet.of(OrderStatus.PAID, OrderStatus.CANCELLED, OrderStatus.REJECTED);

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final Supplier<Future<Order>> read;
  private final long started = System.currentTimeMillis();
  private String last;
  private long lastWrite;
  private long timer = -1;
  private boolean reading;
  private boolean closed;

  OrderEventStream(Vertx vertx, HttpServerResponse response, Supplier<Future<Order>> read) {
    this.vertx = vertx;
    this.response = response;
    this.read = read;
  }

  void start() {
    response.setChunked(true)
        .putHeader("content-type", "text/event-stream")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
    response.closeHandler(v -> stop());
    response.write("retry: 2000\n\n");
    tick();
    timer = vertx.setPeriodic(POLL_MILLIS, t -> tick());
  }

  private void tick() {
    if (closed || reading) return;
    long now = System.currentTimeMillis();
    if (now - started > MAX_MILLIS) {
      end();
      return;
    }
    reading = true;
    read.get().onComplete(r -> {
      reading = false;
      if (closed) return;
      if (r.succeeded()) {
        String json = Views.order(r.result()).encode();
        if (!json.equals(last)) {
          last = json;
          write("event: status\ndata: " + json + "\n\n");
        }
        if (FINAL.contains(r.result().status())) end();
      }
      if (!closed && now - lastWrite > HEARTBEAT_MILLIS) write(": keep-alive\n\n");
    });
  }

  private void write(String chunk) {
    lastWrite = System.currentTimeMillis();
    response.write(chunk);
  }

  private void end() {
    stop();
    if (!response.ended()) response.end();
  }

  private void stop() {
    closed = true;
    if (timer >= 0) vertx.cancelTimer(timer);
  }
}
