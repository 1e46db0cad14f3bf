package io.seckill.launcher;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What the browser test asks the gateway directly: tokens, a sale, the audit that the dashboard
 * must agree with.
 */
final class GatewayClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  GatewayClient(String base) {
    this.base = base;
  }

  String userToken(String user) throws Exception {
    return get("/demo/token?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8), null)
        .body()
        .getString("token");
  }

  Response get(String path, String token) throws Exception {
    return send(request(path, token).GET());
  }

  Response post(String path, String token, JsonObject body) throws Exception {
    return send(
        request(path, token)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15));
    return token == null ? b : b.header("authorization", "Bearer " + token);
  }

  private Response send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(
        r.statusCode(), r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body()));
  }

  record Response(int status, JsonObject body) {}
}
