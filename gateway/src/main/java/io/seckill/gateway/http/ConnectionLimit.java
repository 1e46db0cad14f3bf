package io.seckill.gateway.http;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the HTTP connections a gateway process holds open. Every socket is a file descriptor, and a
 * gateway that runs out of them cannot open a Redis, PostgreSQL or Kafka connection either (in
 * `seckill up` the broker shares the process: it failed its log directory and halted). A connection
 * opened past the cap has its request answered 429 and is closed; connections opened earlier keep
 * being served, so a buyer polling the order it was just given on its keep-alive connection is not
 * refused because a crowd arrived after it.
 */
public final class ConnectionLimit {
  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final Set<HttpConnection> overCap = ConcurrentHashMap.newKeySet();

  public ConnectionLimit(int max) {
    this.max = max;
  }

  /** Server connection handler: counts the connection until it closes. */
  public void opened(HttpConnection connection) {
    if (open.incrementAndGet() > max) overCap.add(connection);
    connection.closeHandler(
        v -> {
          open.decrementAndGet();
          overCap.remove(connection);
        });
  }

  /** True (and the request answered) if the request came on a connection opened past the cap. */
  public boolean shed(HttpServerRequest request) {
    if (overCap.isEmpty() || !overCap.contains(request.connection())) return false;
    request.response().putHeader("connection", "close");
    Problems.send(
            request,
            Problem.RATE_LIMITED,
            "the gateway holds too many connections; try again shortly",
            1)
        .onComplete(done -> request.connection().close());
    return true;
  }

  public int open() {
    return open.get();
  }
}
