package io.seckill.gateway.http;

import io.seckill.gateway.audit.Audits;
import io.seckill.platform.store.OrderStore.OrderRef;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET /admin/sales/{id}/orders as chunked JSON, one keyset page of rows at a time: the next page is
 * read only once the previous one is written and the connection has room, so a sale of any size
 * costs the gateway one page of memory (a slow reader slows the reads instead of piling rows up).
 * The body is the same JSON object as a whole list would be. A failure after the first byte can no
 * longer be a problem response: the connection is reset, so the client sees a broken body rather
 * than a short list that parses.
 */
final class OrderListStream {
  private static final Logger log = LoggerFactory.getLogger(OrderListStream.class);
  static final int PAGE_ROWS = 2_000;

  private final Audits audits;
  private final HttpServerResponse response;
  private final long saleId;
  private boolean first = true;

  OrderListStream(Audits audits, HttpServerResponse response, long saleId) {
    this.audits = audits;
    this.response = response;
    this.saleId = saleId;
  }

  void start() {
    response.setChunked(true).putHeader("content-type", "application/json");
    response.write("{\"saleId\":\"" + saleId + "\",\"orders\":[");
    next(0);
  }

  private void next(long afterId) {
    if (response.closed()) return;
    audits
        .ordersPage(saleId, afterId, PAGE_ROWS)
        .onComplete(
            r -> {
              if (response.closed()) return; // the client went away while the page was read
              if (r.failed()) {
                log.warn(
                    "listing the orders of sale {} failed after order {}: {}",
                    saleId,
                    afterId,
                    r.cause().toString());
                response.reset();
                return;
              }
              List<OrderRef> page = r.result();
              Buffer chunk = Buffer.buffer(page.size() * 64);
              for (OrderRef o : page) {
                if (!first) chunk.appendByte((byte) ',');
                first = false;
                chunk.appendBuffer(
                    new JsonObject()
                        .put("orderId", Long.toString(o.orderId()))
                        .put("userId", o.userId())
                        .put("status", o.status().name())
                        .toBuffer());
              }
              if (page.size() < PAGE_ROWS) {
                response.end(chunk.appendString("]}"));
                return;
              }
              long last = page.get(page.size() - 1).orderId();
              response.write(chunk);
              if (response.writeQueueFull()) {
                response.drainHandler(
                    v -> {
                      response.drainHandler(null);
                      next(last);
                    });
              } else {
                next(last);
              }
            });
  }
}
