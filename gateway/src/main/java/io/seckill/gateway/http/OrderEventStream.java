package io.seckill.gateway.http;

import io.seckill.platform.store.Order;
import io.seckill.platform.store.OrderStatus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.EnumSet;
import java.util.Set;

/**
 * One SSE connection: pushes an order's status now and whenever it changes; ends at a final status
 * or after 15 minutes. The rows come from the gateway's one shared poll ({@link OrderWatch}); this
 * only writes what changed.
 */
final class OrderEventStream {
  private static final long HEARTBEAT_MILLIS = 15_000;
  private static final long MAX_MILLIS = 15 * 60_000;

  /** How long EventSource waits before reconnecting after the stream drops. */
  private static final long RECONNECT_MILLIS = 2_000;

  private static final Set<OrderStatus> FINAL =
      EnumSet.of(OrderStatus.PAID, OrderStatus.CANCELLED, OrderStatus.REJECTED);

  private final Vertx vertx;
  private final HttpServerResponse response;
  private String last;
  private long lastWrite;
  private long heartbeat = -1;
  private long expiry = -1;
  private OrderWatch.Registration registration;
  private boolean closed;

  OrderEventStream(Vertx vertx, HttpServerResponse response) {
    this.vertx = vertx;
    this.response = response;
  }

  /** Starts with the order as first read; registration (of {@link #show}) brings the later rows. */
  void start(Order first, OrderWatch.Registration registration) {
    this.registration = registration;
    response
        .setChunked(true)
        .putHeader("content-type", "text/event-stream")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
    response.closeHandler(v -> stop());
    response.write("retry: " + RECONNECT_MILLIS + "\n\n");
    show(first);
    if (closed) return;
    heartbeat =
        vertx.setPeriodic(
            HEARTBEAT_MILLIS,
            t -> {
              if (!closed && System.currentTimeMillis() - lastWrite >= HEARTBEAT_MILLIS)
                write(": keep-alive\n\n");
            });
    expiry = vertx.setTimer(MAX_MILLIS, t -> end());
  }

  void show(Order order) {
    if (closed) return;
    String json = Views.order(order).encode();
    if (!json.equals(last)) {
      last = json;
      write("event: status\ndata: " + json + "\n\n");
    }
    if (FINAL.contains(order.status())) end();
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
    if (closed) return;
    closed = true;
    if (heartbeat >= 0) vertx.cancelTimer(heartbeat);
    if (expiry >= 0) vertx.cancelTimer(expiry);
    if (registration != null) registration.close();
  }
}
