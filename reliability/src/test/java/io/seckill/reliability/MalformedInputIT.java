package io.seckill.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.config.Settings;
import io.seckill.platform.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * docs/SPEC.md §4 at both gateways of the running pipeline: a corpus of malformed requests gets 4xx
 * problems, never a 5xx, and changes nothing; malformed records on each consumer's topic are
 * dead-lettered and the consumers go on.
 */
@Tag("subset")
class MalformedInputIT {
  static final Pipeline p = Pipeline.shared();
  static final Shop shop = new Shop(p);

  /** One malformed request: what it is, and how to send it to a gateway. */
  record Bad(
      String category,
      String what,
      HttpMethod method,
      String path,
      Map<String, String> headers,
      Buffer body) {}

  @Test
  void fiveHundredAndMoreMalformedRequestsGet4xxProblemsAndChangeNothing() throws Exception {
    long sale = shop.createSale("bad input target", 50, 600);
    // A persisted, unpaid order for the payment-reference cases: only a real order reached the
    // UPDATE that failed.
    unpaidOwner = "unpaid-" + System.nanoTime();
    HttpResponse<Buffer> bought =
        Await.await(
            p.http
                .get(0)
                .post("/api/sales/" + sale + "/purchases")
                .putHeader("authorization", shop.user(unpaidOwner))
                .sendJsonObject(new JsonObject().put("quantity", 1)),
            30);
    assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(202);
    unpaidOrder = Long.parseLong(bought.bodyAsJsonObject().getString("orderId"));
    assertThat(shop.drain(sale, false, 60).getBoolean("consistent")).isTrue();
    List<Bad> corpus = corpus(sale, new Random(7));
    assertThat(corpus.size()).isGreaterThanOrEqualTo(500);
    Map<String, Object> before = state(sale);

    Map<String, Long> byStatus = new ConcurrentHashMap<>();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger i = new AtomicInteger();
    List<Future<Void>> all = new ArrayList<>();
    for (Bad b : corpus) {
      int gateway = i.getAndIncrement() % p.http.size();
      if (needsRaw(b)) {
        // HTTP clients refuse to send control characters in headers: these go over a plain socket.
        String answer = raw(p.gatewayPorts.get(gateway), b);
        String status =
            answer.length() >= 12 && answer.startsWith("HTTP/1.1 ")
                ? answer.substring(9, 12)
                : "no answer";
        byStatus.merge(status, 1L, Long::sum);
        if (!status.startsWith("4")) failures.add(b.category() + " / " + b.what() + ": " + answer);
        else if (answer.contains("Exception") || answer.contains("\tat "))
          failures.add(b.category() + " / " + b.what() + ": stack trace leaked");
        continue;
      }
      HttpRequest<Buffer> req = p.http.get(gateway).request(b.method(), b.path()).timeout(20_000);
      b.headers().forEach(req::putHeader);
      Future<HttpResponse<Buffer>> sent = b.body() == null ? req.send() : req.sendBuffer(b.body());
      all.add(
          sent.transform(
              ar -> {
                if (ar.failed()) {
                  failures.add(
                      b.category() + " / " + b.what() + ": no answer (" + ar.cause() + ")");
                  byStatus.merge("no answer", 1L, Long::sum);
                } else {
                  HttpResponse<Buffer> r = ar.result();
                  byStatus.merge(Integer.toString(r.statusCode()), 1L, Long::sum);
                  String body = r.bodyAsString() == null ? "" : r.bodyAsString();
                  if (r.statusCode() < 400 || r.statusCode() >= 500) {
                    failures.add(
                        b.category() + " / " + b.what() + ": " + r.statusCode() + " " + body);
                  } else if (body.contains("Exception") || body.contains("\tat ")) {
                    failures.add(b.category() + " / " + b.what() + ": stack trace leaked: " + body);
                  }
                }
                return Future.<Void>succeededFuture();
              }));
      if (all.size() % 16 == 0) Await.await(Future.join(new ArrayList<>(all)), 120);
    }
    Await.await(Future.join(all), 120);

    Map<String, Object> after = state(sale);
    Map<String, Long> categories = new TreeMap<>();
    corpus.forEach(b -> categories.merge(b.category(), 1L, Long::sum));
    Results.note(
        p,
        "bad-input.log",
        "HTTP corpus: "
            + corpus.size()
            + " requests "
            + categories
            + " -> statuses "
            + new TreeMap<>(byStatus)
            + "; state before "
            + before
            + " after "
            + after
            + "; failures "
            + failures);
    assertThat(failures).as("requests not answered with a 4xx problem").isEmpty();
    assertThat(after).as("state after the corpus").isEqualTo(before);
    for (ServiceProcess s : p.all()) assertThat(s.isAlive()).as(s.name + " alive").isTrue();
    for (int g = 0; g < p.http.size(); g++)
      assertThat(p.liveStatus(g)).as("gateway-" + g + " live").isEqualTo(200);
    // And it still sells: one good purchase through each gateway is admitted and persisted.
    for (int g = 0; g < p.http.size(); g++) {
      HttpResponse<Buffer> ok =
          Await.await(
              p.http
                  .get(g)
                  .post("/api/sales/" + sale + "/purchases")
                  .putHeader("authorization", shop.user("good-after-bad-" + g))
                  .sendJsonObject(new JsonObject().put("quantity", 1)),
              30);
      assertThat(ok.statusCode()).as(ok.bodyAsString()).isEqualTo(202);
    }
    assertThat(shop.drain(sale, false, 60).getBoolean("consistent")).isTrue();
    Results.add(
        p,
        new Results.Row(
            "bad input: " + corpus.size() + " malformed HTTP requests " + categories.keySet(),
            "alternating over both gateways, 16 in flight",
            corpus.size(),
            0,
            0,
            0,
            true,
            "-",
            "statuses "
                + new TreeMap<>(byStatus)
                + "; 0 5xx; stock, orders, sales unchanged; services alive"));
  }

  @Test
  void malformedRecordsForEachConsumerAreDeadLetteredAndTheConsumersGoOn() throws Exception {
    String run = "corpus-" + System.currentTimeMillis();
    Poison.Sent sent = Poison.send(p, run, 2);
    Poison.assertDeadLettered(p, run, sent);
    // The consumers go on: orders are persisted (workers) and unpaid ones cancelled at their
    // deadline (delay service).
    long sale = shop.createSale("after poison", 10, 2);
    for (int k = 0; k < 6; k++) {
      HttpResponse<Buffer> r =
          Await.await(
              p.http
                  .get(k % 2)
                  .post("/api/sales/" + sale + "/purchases")
                  .putHeader("authorization", shop.user("after-poison-" + k))
                  .sendJsonObject(new JsonObject().put("quantity", 1)),
              30);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    }
    JsonObject audit = shop.drain(sale, true, 90);
    assertThat(audit.getBoolean("consistent")).as(audit.encodePrettily()).isTrue();
    assertThat(audit.getJsonObject("ordersByStatus").getLong("CANCELLED"))
        .as(audit.encodePrettily())
        .isEqualTo(6);
    for (ServiceProcess s : p.all()) assertThat(s.isAlive()).as(s.name + " alive").isTrue();
    Results.add(
        p,
        new Results.Row(
            "bad input: malformed records, "
                + sent.orders()
                + " on orders, "
                + sent.delay()
                + " on the delay topic",
            "idle pipeline",
            sent.orders() + sent.delay(),
            0,
            0,
            0,
            true,
            "-",
            "all "
                + sent.expectDeadLettered().size()
                + " on the dead-letter topic with a reason; then 6 orders persisted and cancelled at their deadline"));
  }

  /** Stock of the sale, rows and sales in PostgreSQL: what no malformed request may change. */
  private static Map<String, Object> state(long sale) throws Exception {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("stockLeft", shop.sale(sale).getLong("stockLeft"));
    JsonObject audit = shop.audit(sale);
    s.put("ordersByStatus", audit.getJsonObject("ordersByStatus").encode());
    s.put("reservations", audit.getLong("reservationsInFlight"));
    try (Connection c = p.stack.postgres().connect(p.stack.pgDatabase());
        Statement st = c.createStatement()) {
      for (String table : List.of("orders", "sales")) {
        try (ResultSet rs = st.executeQuery("select count(*) from " + table)) {
          rs.next();
          s.put(table, rs.getLong(1));
        }
      }
    }
    return s;
  }

  // ---------------------------------------------------------------------------------------------------- the corpus

  static long unpaidOrder;
  static String unpaidOwner;

  static List<Bad> corpus(long sale, Random rnd) {
    List<Bad> out = new ArrayList<>();
    String purchase = "/api/sales/" + sale + "/purchases";
    String good = "Bearer " + p.tokens.user("fuzzer", 7200);
    AtomicInteger userSeq = new AtomicInteger();
    Supplier<String> user =
        () -> "Bearer " + p.tokens.user("fuzz-" + userSeq.getAndIncrement(), 7200);
    Map<String, String> json = Map.of("content-type", "application/json");

    // Fuzzed JSON: random mutations of a valid body; mutations that are still a valid purchase are
    // skipped.
    String seed = "{\"quantity\":1}";
    int fuzzed = 0;
    while (fuzzed < 160) {
      byte[] b = mutate(seed.getBytes(StandardCharsets.UTF_8), rnd);
      if (validPurchase(b)) continue;
      out.add(
          new Bad(
              "fuzzed json",
              hex(b),
              HttpMethod.POST,
              purchase,
              headers(json, "authorization", user.get()),
              Buffer.buffer(b)));
      fuzzed++;
    }
    for (int k = 0; k < 40; k++) {
      byte[] b = new byte[1 + rnd.nextInt(300)];
      rnd.nextBytes(b);
      if (validPurchase(b)) continue;
      out.add(
          new Bad(
              "fuzzed json",
              "random bytes " + b.length,
              HttpMethod.POST,
              purchase,
              headers(json, "authorization", user.get()),
              Buffer.buffer(b)));
    }
    for (String s :
        List.of(
            "[",
            "{",
            "}",
            "{\"quantity\":1",
            "{\"quantity\":1}}",
            "{\"quantity\":1,}",
            "{quantity:1}",
            "{'quantity':1}",
            "[{\"quantity\":1}]",
            "\"quantity\"",
            "1",
            "true",
            "null",
            "{\"quantity\":1}{\"quantity\":1}",
            "{\"quantity\":1,\"x\":2}",
            "{\"quantity\":1,\"quantity\":2}",
            "{\"Quantity\":1}",
            "{\"quantity \":1}",
            "{\"\":1}",
            "{\"quantity\":1, \"__proto__\":{}}",
            "[".repeat(5000) + "]".repeat(5000),
            "{\"a\":".repeat(2000) + "1" + "}".repeat(2000))) {
      out.add(
          new Bad(
              "malformed json",
              s.length() > 40 ? s.substring(0, 40) + "..." : s,
              HttpMethod.POST,
              purchase,
              headers(json, "authorization", user.get()),
              Buffer.buffer(s)));
    }

    // Wrong types and huge numbers.
    for (String v :
        List.of(
            "\"1\"",
            "\"one\"",
            "true",
            "false",
            "[]",
            "[1]",
            "{}",
            "{\"n\":1}",
            "1.0",
            "1.5",
            "-0.0",
            "\"\"",
            "1e2",
            "0.99999",
            "\"NaN\"",
            "\"Infinity\"",
            "NaN",
            "Infinity",
            "-Infinity",
            "0x10",
            "01",
            "+1",
            ".5",
            "1.",
            "--1",
            "1_000")) {
      out.add(
          new Bad(
              "wrong type",
              "quantity " + v,
              HttpMethod.POST,
              purchase,
              headers(json, "authorization", user.get()),
              Buffer.buffer("{\"quantity\":" + v + "}")));
    }
    for (String v :
        List.of(
            "0",
            "-1",
            "101",
            "1000",
            "2147483647",
            "2147483648",
            "-2147483649",
            "4294967297",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "1e308",
            "1e309",
            "-1e309",
            "123456789012345678901234567890",
            "1" + "0".repeat(400),
            "4.9e-324")) {
      out.add(
          new Bad(
              "huge number",
              "quantity " + v,
              HttpMethod.POST,
              purchase,
              headers(json, "authorization", user.get()),
              Buffer.buffer("{\"quantity\":" + v + "}")));
    }

    // Odd headers and encodings, each with something that makes the request invalid.
    for (String key :
        List.of(
            "",
            " ",
            "a b",
            "ключ",
            "k".repeat(65),
            "k".repeat(4000),
            "\t",
            "%00",
            "../../etc/passwd",
            "key;drop",
            "<script>",
            "k\u00e9y",
            "k=1",
            "a,b",
            "\"quoted\"",
            "k/1",
            "k\\1",
            "*",
            "k?",
            "k#")) {
      out.add(
          new Bad(
              "odd header",
              "idempotency-key " + key,
              HttpMethod.POST,
              purchase,
              headers(json, "authorization", user.get(), "idempotency-key", key),
              Buffer.buffer(seed)));
    }
    String userToken = p.tokens.user("odd-headers", 7200);
    for (String auth :
        List.of(
            "Basic dXNlcjpwYXNz",
            "Bearer",
            "Bearer ",
            "Token " + userToken,
            userToken,
            "Bearer " + userToken + " extra",
            "Bearer  " + userToken.substring(1),
            "Bearer " + userToken.toUpperCase(),
            "Bearer " + userToken.replace('.', '_'),
            "Digest username=x",
            "Bearer null",
            "Bearer undefined",
            "Bearer " + "a".repeat(8000),
            "Bearer %s",
            "Bearer \u00e9\u00e8")) {
      out.add(
          new Bad(
              "odd header",
              "authorization " + (auth.length() > 30 ? auth.substring(0, 30) + "..." : auth),
              HttpMethod.POST,
              purchase,
              headers(json, "authorization", auth),
              Buffer.buffer(seed)));
    }
    for (String ct :
        List.of(
            "text/plain",
            "application/xml",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded",
            "application/json; charset=utf-16",
            "application/json; charset=latin1",
            "",
            "*/*",
            "application/octet-stream",
            "application/json;;;")) {
      out.add(
          new Bad(
              "odd header",
              "content-type " + ct + " with a bad body",
              HttpMethod.POST,
              purchase,
              headers(Map.of(), "content-type", ct, "authorization", user.get()),
              Buffer.buffer("quantity=1")));
    }
    out.add(
        new Bad(
            "encoding",
            "utf-16 of quantity 0",
            HttpMethod.POST,
            purchase,
            headers(json, "authorization", user.get()),
            Buffer.buffer("{\"quantity\":0}".getBytes(StandardCharsets.UTF_16))));
    out.add(
        new Bad(
            "encoding",
            "utf-16le of an unknown field",
            HttpMethod.POST,
            purchase,
            headers(json, "authorization", user.get()),
            Buffer.buffer("{\"qty\":1}".getBytes(StandardCharsets.UTF_16LE))));
    out.add(
        new Bad(
            "encoding",
            "latin-1 string quantity",
            HttpMethod.POST,
            purchase,
            headers(json, "authorization", user.get()),
            Buffer.buffer("{\"quantity\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1))));
    out.add(
        new Bad(
            "encoding",
            "invalid utf-8 in a key",
            HttpMethod.POST,
            purchase,
            headers(json, "authorization", user.get()),
            Buffer.buffer(new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, '"', ':', '1', '}'})));
    out.add(
        new Bad(
            "encoding",
            "overlong utf-8 in a key",
            HttpMethod.POST,
            purchase,
            headers(json, "authorization", user.get()),
            Buffer.buffer(new byte[] {'{', '"', (byte) 0xc0, (byte) 0xaf, '"', ':', '1', '}'})));
    out.add(
        new Bad(
            "encoding",
            "nul bytes",
            HttpMethod.POST,
            purchase,
            headers(json, "authorization", user.get()),
            Buffer.buffer(new byte[] {'{', 0, 0, '}'})));
    out.add(
        new Bad(
            "encoding",
            "gzip claimed, garbage sent",
            HttpMethod.POST,
            purchase,
            headers(json, "authorization", user.get(), "content-encoding", "gzip"),
            Buffer.buffer("\u001f\u008bnot gzip")));

    // Forged tokens.
    String secret = p.baseEnv.get(Settings.JWT_SECRET.env());
    long now = System.currentTimeMillis() / 1000;
    List<String> forged = new ArrayList<>();
    forged.add(
        jwt(
            "{\"alg\":\"none\",\"typ\":\"JWT\"}",
            "{\"sub\":\"mallory\",\"exp\":" + (now + 3600) + "}",
            null));
    forged.add(
        jwt(
                "{\"alg\":\"none\"}",
                "{\"sub\":\"mallory\",\"role\":\"admin\",\"exp\":" + (now + 3600) + "}",
                null)
            + "");
    forged.add(
        jwt(
            "{\"alg\":\"HS256\"}",
            "{\"sub\":\"mallory\",\"exp\":" + (now + 3600) + "}",
            "not-the-secret"));
    forged.add(
        jwt(
            "{\"alg\":\"HS256\"}",
            "{\"sub\":\"mallory\",\"role\":\"admin\",\"exp\":" + (now + 3600) + "}",
            "guess"));
    forged.add(
        jwt("{\"alg\":\"HS256\"}", "{\"sub\":\"expired\",\"exp\":" + (now - 60) + "}", secret));
    forged.add(
        jwt(
            "{\"alg\":\"HS256\"}",
            "{\"sub\":\"future\",\"nbf\":" + (now + 3600) + ",\"exp\":" + (now + 7200) + "}",
            secret));
    forged.add(
        jwt("{\"alg\":\"RS256\"}", "{\"sub\":\"mallory\",\"exp\":" + (now + 3600) + "}", secret));
    forged.add(jwt("{\"alg\":\"HS256\"}", "{\"sub\":42,\"exp\":" + (now + 3600) + "}", secret));
    forged.add(jwt("{\"alg\":\"HS256\"}", "{\"sub\":\"\",\"exp\":" + (now + 3600) + "}", secret));
    forged.add(jwt("{\"alg\":\"HS256\"}", "{\"exp\":" + (now + 3600) + "}", secret));
    forged.add(jwt("{\"alg\":\"HS256\"}", "not json", secret));
    forged.add(jwt("not json", "{\"sub\":\"x\"}", secret));
    forged.add(jwt("{\"alg\":\"HS256\"}", "{\"sub\":\"mallory\",\"exp\":\"tomorrow\"}", secret));
    String real = p.tokens.user("victim", 3600);
    String[] parts = real.split("\\.");
    forged.add(
        parts[0]
            + "."
            + b64("{\"sub\":\"mallory\",\"exp\":" + (now + 3600) + "}")
            + "."
            + parts[2]); // payload swapped
    forged.add(
        parts[0]
            + "."
            + parts[1]
            + "."
            + parts[2].substring(0, parts[2].length() - 2)
            + "AA"); // signature tampered
    forged.add(parts[0] + "." + parts[1]);
    forged.add(parts[0] + "." + parts[1] + ".");
    forged.add("..");
    forged.add(".");
    forged.add("a.b.c");
    forged.add("eyJ.eyJ.sig");
    forged.add(real + "." + parts[2]);
    // Well signed, but the subject (the order's user id) is text PostgreSQL cannot store or that
    // has no UTF-8 form:
    // a NUL here was admitted (202) and then lost at the insert.
    for (String sub :
        List.of(
            "nul\\u0000",
            "\\u0000",
            "bell\\u0007",
            "esc\\u001b[0m",
            "del\\u007f",
            "c1\\u0085",
            "line\\nbreak",
            "tab\\there",
            "lone\\ud800",
            "low\\udc00",
            "reversed\\udc00\\ud800")) {
      forged.add(
          jwt(
              "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
              "{\"sub\":\"" + sub + "\",\"exp\":" + (now + 3600) + "}",
              secret));
      forged.add(
          jwt(
              "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
              "{\"sub\":\"" + sub + "\",\"role\":\"admin\",\"exp\":" + (now + 3600) + "}",
              secret));
    }
    for (String t : forged) {
      out.add(
          new Bad(
              "forged token",
              t.length() > 40 ? t.substring(0, 40) + "..." : t,
              HttpMethod.POST,
              purchase,
              headers(json, "authorization", "Bearer " + t),
              Buffer.buffer(seed)));
      out.add(
          new Bad(
              "forged token",
              "admin create with " + (t.length() > 30 ? t.substring(0, 30) : t),
              HttpMethod.POST,
              "/admin/sales",
              headers(json, "authorization", "Bearer " + t),
              Buffer.buffer(validSale().encode())));
    }
    out.add(
        new Bad(
            "forged token",
            "no authorization",
            HttpMethod.POST,
            purchase,
            json,
            Buffer.buffer(seed)));
    out.add(
        new Bad(
            "forged token",
            "user token on admin create",
            HttpMethod.POST,
            "/admin/sales",
            headers(json, "authorization", good),
            Buffer.buffer(validSale().encode())));
    out.add(
        new Bad(
            "forged token",
            "user token on audit",
            HttpMethod.GET,
            "/admin/sales/" + sale + "/audit",
            headers(Map.of(), "authorization", good),
            null));
    out.add(
        new Bad(
            "forged token",
            "user token on order list",
            HttpMethod.GET,
            "/admin/sales/" + sale + "/orders",
            headers(Map.of(), "authorization", good),
            null));

    // Unknown ids.
    List<String> ids =
        new ArrayList<>(
            List.of(
                "0",
                "-1",
                "1",
                "999999999999",
                "9223372036854775807",
                "9223372036854775808",
                "abc",
                "%20",
                "1.5",
                "1e3",
                "%E2%82%AC",
                "null",
                "undefined",
                "--",
                "0x1F",
                "00000000000000000000001",
                "1;drop",
                "%00",
                "%2e%2e"));
    for (int k = 0; k < 15; k++) ids.add(Long.toString(rnd.nextLong() & Long.MAX_VALUE));
    for (String id : ids) {
      out.add(
          new Bad(
              "unknown id",
              "purchase in sale " + id,
              HttpMethod.POST,
              "/api/sales/" + id + "/purchases",
              headers(json, "authorization", user.get()),
              Buffer.buffer(seed)));
      out.add(
          new Bad(
              "unknown id", "get sale " + id, HttpMethod.GET, "/api/sales/" + id, Map.of(), null));
      out.add(
          new Bad(
              "unknown id",
              "get order " + id,
              HttpMethod.GET,
              "/api/orders/" + id,
              headers(Map.of(), "authorization", good),
              null));
      out.add(
          new Bad(
              "unknown id",
              "pay order " + id,
              HttpMethod.POST,
              "/api/orders/" + id + "/payment",
              headers(json, "authorization", good),
              Buffer.buffer("{\"paymentRef\":\"r\"}")));
      out.add(
          new Bad(
              "unknown id",
              "cancel order " + id,
              HttpMethod.DELETE,
              "/api/orders/" + id,
              headers(Map.of(), "authorization", good),
              null));
      out.add(
          new Bad(
              "unknown id",
              "audit of sale " + id,
              HttpMethod.GET,
              "/admin/sales/" + id + "/audit",
              headers(Map.of(), "authorization", shop.admin()),
              null));
    }

    // Oversized bodies, headers and URLs.
    for (int size : List.of(16_385, 20_000, 65_536, 262_144, 1_048_576, 4_194_304)) {
      out.add(
          new Bad(
              "oversized",
              "body of " + size + " bytes",
              HttpMethod.POST,
              purchase,
              headers(json, "authorization", user.get()),
              Buffer.buffer("{\"quantity\":1,\"pad\":\"" + "x".repeat(size) + "\"}")));
    }
    out.add(
        new Bad(
            "oversized",
            "header of 20 KB",
            HttpMethod.POST,
            purchase,
            headers(json, "authorization", user.get(), "x-pad", "x".repeat(20_000)),
            Buffer.buffer(seed)));
    out.add(
        new Bad(
            "oversized",
            "URL of 10 KB",
            HttpMethod.POST,
            purchase + "?" + "q=" + "x".repeat(10_000),
            headers(json, "authorization", user.get()),
            Buffer.buffer("{\"quantity\":0}")));
    out.add(
        new Bad(
            "oversized",
            "payment ref of 10 KB",
            HttpMethod.POST,
            "/api/orders/1/payment",
            headers(json, "authorization", good),
            Buffer.buffer("{\"paymentRef\":\"" + "r".repeat(10_000) + "\"}")));

    // Admin create-sale bodies that must be refused.
    String admin = shop.admin();
    List<JsonObject> sales = new ArrayList<>();
    for (Object[] change :
        new Object[][] {
          {"stock", 0},
          {"stock", -1},
          {"stock", 1e12},
          {"stock", "10"},
          {"stock", null},
          {"priceCents", -1},
          {"priceCents", "free"},
          {"item", ""},
          {"item", "x".repeat(10_000)},
          {"item", 5},
          {"perUserLimit", 0},
          {"perUserLimit", -3},
          {"paymentTimeoutSeconds", 0},
          {"paymentTimeoutSeconds", 1_000_000},
          {"startsAt", "yesterday"},
          {"endsAt", "2020-01-01T00:00:00Z"},
          {"startsAt", 12345},
          {"unknownField", 1},
          {"stock", 9223372036854775807L},
          {"endsAt", null}
        }) {
      JsonObject s = validSale();
      if (change[1] == null) s.remove((String) change[0]);
      else s.put((String) change[0], change[1]);
      sales.add(s);
    }
    for (JsonObject s : sales) {
      out.add(
          new Bad(
              "invalid sale",
              s.encode().length() > 60 ? s.encode().substring(0, 60) + "..." : s.encode(),
              HttpMethod.POST,
              "/admin/sales",
              headers(json, "authorization", admin),
              Buffer.buffer(s.encode())));
    }
    // Control characters and lone surrogates in the sale's item (a NUL answered 500: PostgreSQL
    // refused the row).
    for (String item :
        List.of(
            "tv\\u0000",
            "\\u0000",
            "tv\\u0001",
            "tv\\u001b[2J",
            "tv\\u007f",
            "tv\\u009f",
            "tv\\r\\n",
            "tv\\ud800",
            "tv\\udfff")) {
      String body = validSale().encode().replace("\"item\":\"x\"", "\"item\":\"" + item + "\"");
      out.add(
          new Bad(
              "control character",
              "sale item " + item,
              HttpMethod.POST,
              "/admin/sales",
              headers(json, "authorization", admin),
              Buffer.buffer(body)));
    }
    out.add(
        new Bad(
            "invalid sale",
            "empty body",
            HttpMethod.POST,
            "/admin/sales",
            headers(json, "authorization", admin),
            Buffer.buffer("")));
    out.add(
        new Bad(
            "invalid sale",
            "array",
            HttpMethod.POST,
            "/admin/sales",
            headers(json, "authorization", admin),
            Buffer.buffer("[]")));

    // Wrong methods and odd paths.
    for (HttpMethod m :
        List.of(HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.GET, HttpMethod.DELETE)) {
      out.add(
          new Bad(
              "method",
              m + " purchases",
              m,
              purchase,
              headers(json, "authorization", user.get()),
              Buffer.buffer(seed)));
    }
    for (String path :
        List.of(
            "/api/sales//purchases",
            "/api/sales/" + sale + "/purchases/x",
            "/api/%00",
            "/admin",
            "/api/orders/",
            "/api/sales/" + sale + "/purchases%2f..%2f..%2fadmin%2fsales",
            "/does/not/exist",
            "/api/orders/1/payment/extra")) {
      out.add(
          new Bad(
              "path",
              path,
              HttpMethod.POST,
              path,
              headers(json, "authorization", user.get()),
              Buffer.buffer(seed)));
    }
    // Payments with bad bodies (on an unknown order: nothing can change either way).
    for (String body :
        List.of(
            "",
            "{}",
            "{\"paymentRef\":\"\"}",
            "{\"paymentRef\":5}",
            "{\"paymentRef\":null}",
            "{\"ref\":\"r\"}",
            "[",
            "{\"paymentRef\":\"r\",\"amount\":-1}")) {
      out.add(
          new Bad(
              "payment body",
              body,
              HttpMethod.POST,
              "/api/orders/123/payment",
              headers(json, "authorization", good),
              Buffer.buffer(body)));
    }
    // Control characters and lone surrogates in a payment reference (a NUL answered 500 on a real
    // order).
    for (String ref :
        List.of(
            "r\\u0000",
            "\\u0000",
            "r\\u0008",
            "r\\u001f",
            "r\\u007f",
            "r\\u0080",
            "r\\ud800",
            "r\\udbff\\u0041")) {
      out.add(
          new Bad(
              "control character",
              "payment ref " + ref,
              HttpMethod.POST,
              "/api/orders/" + unpaidOrder + "/payment",
              headers(json, "authorization", "Bearer " + p.tokens.user(unpaidOwner, 7200)),
              Buffer.buffer("{\"paymentRef\":\"" + ref + "\"}")));
    }
    // Control characters in headers (what an HTTP client lets through).
    for (String key : List.of("k\u0001", "k\u001f", "k\u007f", "k\u0085", "\u0008")) {
      out.add(
          new Bad(
              "control character",
              "idempotency-key with U+" + String.format("%04X", (int) key.charAt(key.length() - 1)),
              HttpMethod.POST,
              purchase,
              headers(json, "authorization", user.get(), "idempotency-key", key),
              Buffer.buffer(seed)));
    }
    out.add(
        new Bad(
            "control character",
            "authorization with a control character",
            HttpMethod.POST,
            purchase,
            headers(json, "authorization", "Bearer \u0007" + p.tokens.user("ctl-header", 7200)),
            Buffer.buffer(seed)));
    return out;
  }

  private static boolean needsRaw(Bad b) {
    for (String v : b.headers().values()) {
      for (char c : v.toCharArray()) if (c != '\t' && Character.isISOControl(c)) return true;
    }
    return false;
  }

  /**
   * Sends one request as bytes on its own connection; returns the whole answer (status line first).
   */
  private static String raw(int port, Bad b) {
    StringBuilder req =
        new StringBuilder(b.method().name())
            .append(' ')
            .append(b.path())
            .append(" HTTP/1.1\r\nhost: 127.0.0.1\r\n");
    b.headers().forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    byte[] body = b.body() == null ? new byte[0] : b.body().getBytes();
    req.append("content-length: ").append(body.length).append("\r\nconnection: close\r\n\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(req.toString().getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().write(body);
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "no answer (" + e + ")";
    }
  }

  private static JsonObject validSale() {
    return new JsonObject()
        .put("item", "x")
        .put("stock", 5)
        .put("priceCents", 100)
        .put("startsAt", Instant.now().toString())
        .put("endsAt", Instant.now().plusSeconds(600).toString())
        .put("perUserLimit", 1)
        .put("paymentTimeoutSeconds", 60);
  }

  /**
   * Whether the gateway should accept this body as a purchase: such a mutation is not bad input.
   */
  static boolean validPurchase(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8);
    if (s.isBlank()) return true;
    try {
      Object v = Json.decodeValue(Buffer.buffer(body));
      if (!(v instanceof JsonObject o)) return false;
      for (String f : o.fieldNames()) if (!f.equals("quantity")) return false;
      Object q = o.getValue("quantity");
      if (q == null) return true;
      return (q instanceof Integer || q instanceof Long)
          && ((Number) q).longValue() >= 1
          && ((Number) q).longValue() <= 100;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static byte[] mutate(byte[] in, Random rnd) {
    List<Byte> b = new ArrayList<>();
    for (byte x : in) b.add(x);
    int n = 1 + rnd.nextInt(4);
    String alphabet = "{}[]\":,0123456789-+.eEtrufalsnquity \\\u00e9";
    for (int k = 0; k < n; k++) {
      int op = rnd.nextInt(4);
      int pos = b.isEmpty() ? 0 : rnd.nextInt(b.size());
      switch (op) {
        case 0 -> {
          if (!b.isEmpty()) b.remove(pos);
        }
        case 1 -> b.add(pos, (byte) alphabet.charAt(rnd.nextInt(alphabet.length())));
        case 2 -> {
          if (!b.isEmpty()) b.set(pos, (byte) rnd.nextInt(256));
        }
        default -> {
          while (b.size() > pos) b.remove(b.size() - 1);
        }
      }
    }
    byte[] out = new byte[b.size()];
    for (int k = 0; k < out.length; k++) out[k] = b.get(k);
    return out;
  }

  private static Map<String, String> headers(Map<String, String> base, String... kv) {
    Map<String, String> h = new LinkedHashMap<>(base);
    for (int k = 0; k < kv.length; k += 2) h.put(kv[k], kv[k + 1]);
    return h;
  }

  private static String hex(byte[] b) {
    String s = new String(b, StandardCharsets.UTF_8);
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String jwt(String header, String payload, String secret) {
    String signing = b64(header) + "." + b64(payload);
    if (secret == null) return signing + ".";
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signing
          + "."
          + Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(mac.doFinal(signing.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
