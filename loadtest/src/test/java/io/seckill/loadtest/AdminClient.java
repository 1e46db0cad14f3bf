package io.seckill.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seckill.judge.Checker;
import io.seckill.judge.Ledger;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's side of a run (create the sale, read the audit and the order list), over plain
 * HTTP outside Gatling so that none of it counts in the load figures.
 */
public final class AdminClient {
  public static final ObjectMapper JSON = new ObjectMapper();

  /** A response: status and parsed body (null if it was not JSON). */
  public record Reply(int status, JsonNode body) {
    public String slug() {
      return body == null ? null : Ledger.slug(body.path("type").asText(null));
    }

    /** A 404 from the router itself (no such route), as opposed to "no such sale". */
    public boolean noSuchEndpoint() {
      return status == 404 && "not-found".equals(slug());
    }
  }

  private final String baseUrl;
  private final String adminToken;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public AdminClient(String baseUrl, Jwt jwt) {
    this.baseUrl = baseUrl;
    this.adminToken = jwt.admin("loadtest-admin", 86_400);
  }

  public String token() {
    return adminToken;
  }

  /** Creates a sale that is active from now on and returns its id. */
  public String createSale(
      String item,
      int stock,
      int perUserLimit,
      int paymentTimeoutSeconds,
      Instant startsAt,
      Duration length) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("item", item)
            .put("stock", stock)
            .put("priceCents", 1999)
            .put("startsAt", startsAt.toString())
            .put("endsAt", startsAt.plus(length).toString())
            .put("perUserLimit", perUserLimit)
            .put("paymentTimeoutSeconds", paymentTimeoutSeconds);
    Reply r = send("POST", "/admin/sales", body.toString());
    if (r.status() != 201)
      throw new IllegalStateException("creating the sale failed: " + r.status() + " " + r.body());
    return r.body().path("saleId").asText();
  }

  public Reply sale(String saleId) {
    return send("GET", "/api/sales/" + saleId, null);
  }

  public Reply audit(String saleId) {
    return send("GET", "/admin/sales/" + saleId + "/audit", null);
  }

  public Reply orders(String saleId) {
    return send("GET", "/admin/sales/" + saleId + "/orders", null);
  }

  public static List<Checker.OrderRow> rows(JsonNode ordersBody) {
    List<Checker.OrderRow> rows = new ArrayList<>();
    for (JsonNode o : ordersBody.path("orders")) {
      rows.add(
          new Checker.OrderRow(
              o.path("orderId").asText(),
              o.path("userId").asText(),
              o.path("status").asText(),
              o.path("quantity").asInt(1)));
    }
    return rows;
  }

  public Reply send(String method, String path, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(60))
            .header("authorization", "Bearer " + adminToken)
            .header("accept", "application/json");
    if (body != null) b.header("content-type", "application/json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      try {
        if (!resp.body().isBlank()) json = JSON.readTree(resp.body());
      } catch (IOException notJson) {
        // kept as null: the caller reports the status
      }
      return new Reply(resp.statusCode(), json);
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + baseUrl + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
