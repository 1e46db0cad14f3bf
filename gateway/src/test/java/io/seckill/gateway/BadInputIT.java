package io.seckill.gateway;

import static io.seckill.platform.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.gateway.config.GatewayConfig;
import io.seckill.platform.auth.Tokens;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/SPEC.md §4: each class of bad input gets its 4xx problem and changes nothing. */
class BadInputIT {
  static GatewayHarness gw;
  static long sale;

  @BeforeAll
  static void start() {
    gw = new GatewayHarness(TestServers.env("badinput"));
    sale = gw.createSale(50, 2, 900);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "malformed json          | 400 | invalid-request",
        "not an object           | 400 | invalid-request",
        "quantity as a string    | 400 | invalid-request",
        "quantity as a fraction  | 400 | invalid-request",
        "negative quantity       | 400 | invalid-request",
        "zero quantity           | 400 | invalid-request",
        "huge quantity           | 400 | invalid-request",
        "quantity beyond a long  | 400 | invalid-request",
        "unknown field           | 400 | invalid-request",
        "bad idempotency key     | 400 | invalid-request",
        "oversized body          | 413 | invalid-request",
        "unknown sale            | 404 | sale-not-found",
        "non-numeric sale id     | 404 | sale-not-found",
        "no token                | 401 | unauthorized",
        "forged token            | 401 | unauthorized",
        "expired token           | 401 | unauthorized",
        "garbage token           | 401 | unauthorized",
        "expiry not a number     | 401 | unauthorized",
        "multipart form          | 415 | invalid-request",
        "nul in the token subject              | 401 | unauthorized",
        "control character in the token subject | 401 | unauthorized",
        "lone surrogate in the token subject    | 401 | unauthorized",
        "nul in an admin token subject          | 401 | unauthorized",
      })
  void badPurchaseInputGetsItsProblemAndLeavesStockAlone(String kind, int status, String slug) {
    long before = gw.stock(sale);
    HttpResponse<Buffer> r = await(badPurchase(kind));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("content-type")).isEqualTo("application/problem+json");
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getString("type")).endsWith("/" + slug);
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail"))
        .isNotBlank()
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(gw.stock(sale)).isEqualTo(before);
    // and the gateway still serves
    assertThat(await(gw.http.get("/api/sales/" + sale).send()).statusCode()).isEqualTo(200);
  }

  @Test
  void aPaymentReferenceWithANulOrALoneSurrogateIsRefusedAndTheOrderStaysUnpaid() {
    long order = gw.pendingOrder(sale, "payer-" + System.nanoTime(), 900);
    String owner = await(gw.store.find(order)).orElseThrow().userId();
    for (String body :
        List.of(
            "{\"paymentRef\":\"ref\\u0000\"}",
            "{\"paymentRef\":\"ref\\ud800\"}",
            "{\"paymentRef\":\"line\\nbreak\"}")) {
      // A NUL here answered 500: PostgreSQL refused the UPDATE.
      HttpResponse<Buffer> r =
          await(
              gw.http
                  .post("/api/orders/" + order + "/payment")
                  .putHeader("authorization", gw.user(owner))
                  .putHeader("content-type", "application/json")
                  .sendBuffer(Buffer.buffer(body)));
      assertThat(r.statusCode()).as(body + " -> " + r.bodyAsString()).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("type")).endsWith("/invalid-request");
      assertThat(r.bodyAsJsonObject().getString("detail")).contains("paymentRef");
    }
    assertThat(await(gw.store.find(order)).orElseThrow().status().name())
        .isEqualTo("PENDING_PAYMENT");
  }

  @Test
  void aSaleWhoseItemHasAControlCharacterIsRefusedAndNoSaleIsCreated() {
    long before = gw.count("select count(*) from sales");
    for (String item : List.of("tv\\u0000", "tv\\ud800", "tv\\u001b[2J")) {
      String body =
          "{\"item\":\""
              + item
              + "\",\"stock\":5,\"priceCents\":100,\"startsAt\":\""
              + Instant.now()
              + "\",\"endsAt\":\""
              + Instant.now().plusSeconds(600)
              + "\"}";
      // A NUL here answered 500: PostgreSQL refused the INSERT.
      HttpResponse<Buffer> r =
          await(
              gw.http
                  .post("/admin/sales")
                  .putHeader("authorization", gw.admin())
                  .putHeader("content-type", "application/json")
                  .sendBuffer(Buffer.buffer(body)));
      assertThat(r.statusCode()).as(item + " -> " + r.bodyAsString()).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("type")).endsWith("/invalid-request");
      assertThat(r.bodyAsJsonObject().getString("detail")).contains("item");
    }
    assertThat(gw.count("select count(*) from sales")).isEqualTo(before);
  }

  @Test
  void controlCharactersInHeadersGetA4xxAndTakeNoStock() {
    long before = gw.stock(sale);
    String token = gw.user("raw-" + System.nanoTime()).substring(7);
    // Sent raw: HTTP clients refuse to send these. Each request is alone on its connection.
    for (String header :
        List.of(
            "idempotency-key: k\u0001ey",
            "idempotency-key: k\u007fey",
            "idempotency-key: k\u0000ey",
            "authorization: Bearer " + token + "\u0000",
            "authorization: Bearer \u0007" + token)) {
      String auth =
          header.startsWith("authorization") ? "" : "authorization: Bearer " + token + "\r\n";
      String request =
          "POST /api/sales/"
              + sale
              + "/purchases HTTP/1.1\r\nhost: localhost\r\n"
              + auth
              + header
              + "\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
      String answer = raw(request);
      assertThat(answer).as(header).matches("(?s)HTTP/1\\.1 4\\d\\d .*");
    }
    assertThat(gw.stock(sale)).isEqualTo(before);
  }

  private static String raw(String request) {
    try (Socket socket = new Socket("127.0.0.1", gw.gateway.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An HS256 token with exactly this payload JSON, signed with the gateway's secret. */
  static String signed(String payload) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signing =
        b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              GatewayConfig.from(gw.env).jwtSecret().getBytes(StandardCharsets.UTF_8),
              "HmacSHA256"));
      return signing
          + "."
          + b64.encodeToString(mac.doFinal(signing.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private Future<HttpResponse<Buffer>> badPurchase(String kind) {
    String ok = gw.user("u-" + kind.hashCode());
    Function<String, HttpRequest<Buffer>> post =
        token -> {
          HttpRequest<Buffer> req = gw.http.post("/api/sales/" + sale + "/purchases");
          if (token != null) req.putHeader("authorization", token);
          return req.putHeader("content-type", "application/json");
        };
    return switch (kind) {
      case "malformed json" -> post.apply(ok).sendBuffer(Buffer.buffer("{\"quantity\": "));
      case "not an object" -> post.apply(ok).sendBuffer(Buffer.buffer("[1,2,3]"));
      case "quantity as a string" ->
          post.apply(ok).sendBuffer(Buffer.buffer("{\"quantity\": \"1\"}"));
      case "quantity as a fraction" ->
          post.apply(ok).sendBuffer(Buffer.buffer("{\"quantity\": 1.5}"));
      case "negative quantity" -> post.apply(ok).sendBuffer(Buffer.buffer("{\"quantity\": -1}"));
      case "zero quantity" -> post.apply(ok).sendBuffer(Buffer.buffer("{\"quantity\": 0}"));
      case "huge quantity" ->
          post.apply(ok).sendBuffer(Buffer.buffer("{\"quantity\": 2147483648}"));
      case "quantity beyond a long" ->
          post.apply(ok).sendBuffer(Buffer.buffer("{\"quantity\": 99999999999999999999999999}"));
      case "unknown field" ->
          post.apply(ok).sendBuffer(Buffer.buffer("{\"quantity\": 1, \"price\": 0}"));
      case "bad idempotency key" ->
          post.apply(ok)
              .putHeader("idempotency-key", "has spaces and ü")
              .sendBuffer(Buffer.buffer("{}"));
      case "oversized body" ->
          post.apply(ok)
              .sendBuffer(
                  Buffer.buffer("{\"quantity\": 1, \"pad\": \"" + "x".repeat(100_000) + "\"}"));
      case "unknown sale" ->
          gw.http
              .post("/api/sales/999999999/purchases")
              .putHeader("authorization", ok)
              .sendBuffer(Buffer.buffer("{}"));
      case "non-numeric sale id" ->
          gw.http
              .post("/api/sales/abc/purchases")
              .putHeader("authorization", ok)
              .sendBuffer(Buffer.buffer("{}"));
      case "no token" -> post.apply(null).sendBuffer(Buffer.buffer("{}"));
      case "forged token" ->
          post.apply(
                  "Bearer "
                      + new Tokens(gw.vertx, "not-the-secret-not-the-secret-123").user("u1", 3600))
              .sendBuffer(Buffer.buffer("{}"));
      case "expired token" ->
          post.apply("Bearer " + gw.tokens.user("u1", -120)).sendBuffer(Buffer.buffer("{}"));
      case "garbage token" -> post.apply("Bearer abc.def.ghi").sendBuffer(Buffer.buffer("{}"));
      // Signed with the right secret, "exp" a string: vertx-auth-jwt threw a ClassCastException
      // from authenticate() (500).
      // BodyHandler decoded the form and left an empty body, read as {"quantity": 1}: this was
      // admitted (202).
      case "multipart form" ->
          gw.http
              .post("/api/sales/" + sale + "/purchases")
              .putHeader("authorization", ok)
              .putHeader("content-type", "multipart/form-data; boundary=x")
              .sendBuffer(Buffer.buffer("quantity=1"));
      case "expiry not a number" ->
          post.apply(
                  "Bearer "
                      + gw.tokens
                          .auth()
                          .generateToken(
                              new JsonObject().put("sub", "u1").put("exp", "tomorrow"),
                              new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true)))
              .sendBuffer(Buffer.buffer("{}"));
      // Signed with the right secret: the subject becomes the order's user id, which PostgreSQL
      // cannot store with a NUL.
      // This was admitted (202); the worker's insert failed, the stock went back and the audit
      // stayed inconsistent.
      case "nul in the token subject" ->
          post.apply(gw.user("mallory\u0000")).sendBuffer(Buffer.buffer("{}"));
      case "control character in the token subject" ->
          post.apply(gw.user("bell\u0007user")).sendBuffer(Buffer.buffer("{}"));
      // Written as a JSON escape: a Java string with a lone surrogate would be encoded to UTF-8 as
      // '?'.
      case "lone surrogate in the token subject" ->
          post.apply(
                  "Bearer "
                      + signed(
                          "{\"sub\":\"half\\ud800\",\"exp\":"
                              + (System.currentTimeMillis() / 1000 + 3600)
                              + "}"))
              .sendBuffer(Buffer.buffer("{}"));
      case "nul in an admin token subject" ->
          post.apply("Bearer " + gw.tokens.admin("root\u0000", 3600))
              .sendBuffer(Buffer.buffer("{}"));
      default -> throw new IllegalArgumentException(kind);
    };
  }
}
