package io.seckill.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import io.seckill.platform.testing.Await;
import io.seckill.platform.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Raw HTTP/1.1 sockets, so the test decides exactly how many connections are open. */
class ConnectionLimitIT {
  static final int MAX = 3;
  static GatewayHarness gw;

  @BeforeAll
  static void start() {
    Env env = TestServers.env("connlimit").with(Settings.MAX_CONNECTIONS, MAX);
    gw = new GatewayHarness(env);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void aConnectionOpenedPastTheCapIsAnswered429AndClosedWhileEarlierOnesKeepBeingServed()
      throws Exception {
    Socket[] held = new Socket[MAX];
    try {
      for (int i = 0; i < MAX; i++) {
        held[i] = open();
        assertThat(get(held[i])).startsWith("HTTP/1.1 200");
      }
      try (Socket extra = open()) {
        String answer = get(extra);
        assertThat(answer)
            .startsWith("HTTP/1.1 429")
            .contains("application/problem+json")
            .contains("/rate-limited")
            .containsIgnoringCase("retry-after: 1");
        assertThat(extra.getInputStream().read())
            .as("the gateway closed the extra connection")
            .isEqualTo(-1);
      }
      // The connections opened within the cap are still served: a buyer polling on its keep-alive
      // connection is not
      // refused because of the crowd that came after it.
      assertThat(get(held[0])).startsWith("HTTP/1.1 200");
    } finally {
      for (Socket s : held) if (s != null) s.close();
    }
    // Once connections close, new ones are welcome again.
    long until = System.currentTimeMillis() + 10_000;
    String again;
    do {
      Await.sleep(100);
      try (Socket s = open()) {
        again = get(s);
      }
    } while (!again.startsWith("HTTP/1.1 200") && System.currentTimeMillis() < until);
    assertThat(again).startsWith("HTTP/1.1 200");
  }

  private static Socket open() throws IOException {
    Socket s = new Socket("127.0.0.1", gw.gateway.port());
    s.setSoTimeout(10_000);
    return s;
  }

  /**
   * One GET /api/noop on the socket; returns the response head and body (the body is small and
   * length-delimited).
   */
  private static String get(Socket s) throws IOException {
    s.getOutputStream()
        .write(
            "GET /api/noop HTTP/1.1\r\nhost: localhost\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) break;
      head.write(b);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15))
        length = Integer.parseInt(line.substring(15).trim());
    }
    byte[] body = in.readNBytes(length);
    return text + new String(body, StandardCharsets.UTF_8);
  }
}
