package io.seckill.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.seckill.platform.auth.Tokens;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;

/**
 * The buyer page and the dashboard in a real headless Chromium against every service in this JVM: a
 * phone buys, sees PENDING_PAYMENT pushed, pays; a second buyer, without working push, polls and
 * lets the payment window close; a burst sells out; the dashboard's numbers must equal the audit's.
 * Screenshots go to target/screenshots/.
 */
class BrowserIT {
  private static final int PHONE_WIDTH = 390;
  private static final int PHONE_HEIGHT = 844;
  private static final int STOCK = 6;
  private static final int BURST_BUYERS = 10;
  private static final int PAYMENT_SECONDS = 15;
  private static final Duration STEP = Duration.ofSeconds(30);

  /**
   * An EventSource that fails the way a buffering proxy makes it fail: an error event, no messages.
   */
  private static final String BROKEN_EVENT_SOURCE =
      """
      window.EventSource = class {
        constructor() { setTimeout(() => this.onerror && this.onerror(new Event('error')), 50); }
        addEventListener() {}
        close() {}
      };""";

  @Test
  void buyerBuysAndPaysAndTheDashboardAgreesWithTheAudit() throws Exception {
    assumeFalse(Boolean.getBoolean("seckill.skipBrowser"), "skipped by -Dseckill.skipBrowser=true");
    String missing = Browser.missing();
    if (missing != null) fail(missing);

    Env env = TestServers.env("browser");
    // As `up` runs them: the demo route for buyers, the dashboard's admin token in the URL's
    // fragment.
    try (ServiceSet services =
            ServiceSet.start(env, EnumSet.allOf(ServiceSet.Service.class), true);
        Browser browser = Browser.start()) {
      String base = "http://127.0.0.1:" + services.gatewayPort();
      GatewayClient api = new GatewayClient(base);
      String admin =
          new Tokens(services.vertx(), env.get(Settings.JWT_SECRET)).admin("admin", 3600);
      // Opens 10 s from now, so the page first shows the countdown.
      Instant opens = Instant.now().plusSeconds(10);
      GatewayClient.Response created =
          api.post(
              "/admin/sales",
              admin,
              new JsonObject()
                  .put("item", "Browser-test sneaker")
                  .put("stock", STOCK)
                  .put("priceCents", 12_900)
                  .put("startsAt", opens.toString())
                  .put("endsAt", opens.plusSeconds(600).toString())
                  .put("perUserLimit", 1)
                  .put("paymentTimeoutSeconds", PAYMENT_SECONDS));
      assertThat(created.status()).as(created.body().encode()).isEqualTo(201);
      String saleId = created.body().getString("saleId");

      String buyerTab = buyerPays(browser, base, saleId);
      buyerWaitsTooLong(browser);
      String dashboardTab =
          dashboard(
              browser,
              UpCommand.dashboardUrl(
                  services.vertx(), env, services.gatewayPort(), "?sale=" + saleId),
              api);

      browser.driver().switchTo().window(buyerTab);
      browser.waitFor(
          Duration.ofSeconds(PAYMENT_SECONDS + 20),
          "bob's order cancelled after the payment window",
          d -> "CANCELLED".equals(browser.data("order-status", "status")));
      assertThat(browser.text("order-status")).contains("payment window closed");
      browser.screenshot("05-phone-cancelled");

      browser.driver().switchTo().window(dashboardTab);
      dashboardMatchesAudit(browser, api, admin, saleId);
      browser.fullPage("06-dashboard", 1280, false);
      browser.phone(PHONE_WIDTH, PHONE_HEIGHT);
      browser.waitFor(
          STEP,
          "dashboard re-laid out for a phone",
          d -> ((Number) browser.script("return window.innerWidth")).intValue() == PHONE_WIDTH);
      assertNoHorizontalScroll(browser);
      browser.fullPage("07-dashboard-phone", PHONE_WIDTH, true);

      operatorCreatesASale(
          browser, UpCommand.dashboardUrl(services.vertx(), env, services.gatewayPort(), ""));
    }
  }

  /**
   * Without ?sale= the dashboard lists recent sales and starts a new one from its form (the token
   * goes along).
   */
  private static void operatorCreatesASale(Browser browser, String dashboardUrl) {
    browser.open(dashboardUrl);
    assertTokenTakenOutOfTheAddressBar(browser, dashboardUrl);
    browser.waitFor(
        STEP,
        "recent sales listed",
        d -> browser.text("sale-list").contains("Browser-test sneaker"));
    browser.type("c-item", "Made on the dashboard");
    browser.type("c-stock", "42");
    browser.byId("create-form").submit();
    browser.waitFor(
        STEP,
        "the new sale watched",
        d ->
            d.getCurrentUrl().contains("/dashboard?sale=")
                && browser.text("sale-item").equals("Made on the dashboard")
                && "42".equals(browser.data("stock-left", "value")));
  }

  /**
   * Alice, on a phone: countdown, buy, PENDING_PAYMENT pushed over SSE, pay, PAID, then the
   * per-user limit.
   */
  private static String buyerPays(Browser browser, String base, String saleId) throws Exception {
    browser.phone(PHONE_WIDTH, PHONE_HEIGHT);
    browser.open(base + "/?sale=" + saleId);
    signIn(browser, "alice");
    browser.waitFor(
        STEP,
        "sale shown as upcoming",
        d -> "UPCOMING".equals(browser.data("sale-state", "state")));
    assertThat(browser.byId("sale-countdown").isDisplayed()).isTrue();
    assertThat(browser.byId("buy").isEnabled()).isFalse();
    assertUsableOnPhone(browser);
    browser.screenshot("01-phone-countdown");

    browser.waitFor(STEP, "Buy enabled once the sale opens", d -> browser.byId("buy").isEnabled());
    browser.click("buy");
    browser.waitFor(
        STEP,
        "PENDING_PAYMENT on the page",
        d -> "PENDING_PAYMENT".equals(browser.data("order-status", "status")));
    assertThat(browser.data("order-status", "via"))
        .as("how PENDING_PAYMENT arrived")
        .isEqualTo("push");
    assertThat(browser.data("transport", "kind")).isEqualTo("push");
    assertThat(browser.text("pay-countdown")).startsWith("Pay within");
    browser.screenshot("02-phone-pending-payment");

    browser.click("pay");
    browser.waitFor(
        STEP, "PAID on the page", d -> "PAID".equals(browser.data("order-status", "status")));
    assertThat(browser.text("order-message")).contains("Payment received");
    browser.screenshot("03-phone-paid");

    browser.waitFor(
        STEP, "Buy enabled again after a final order", d -> browser.byId("buy").isEnabled());
    browser.click("buy");
    browser.waitFor(
        STEP,
        "the per-user limit explained",
        d -> browser.text("buy-message").contains("most this sale allows per buyer"));
    assertNoHorizontalScroll(browser);
    browser.screenshot("04-phone-limit-reached");
    return browser.driver().getWindowHandle();
  }

  /**
   * Bob, same phone, behind a proxy that breaks server-sent events: the page must fall back to
   * polling. He buys and walks away; his order is watched while the test looks at the dashboard.
   */
  private static void buyerWaitsTooLong(Browser browser) {
    browser.beforeEveryPage(BROKEN_EVENT_SOURCE);
    browser.reload();
    signIn(browser, "bob");
    browser.waitFor(STEP, "Buy enabled for bob", d -> browser.byId("buy").isEnabled());
    browser.click("buy");
    browser.waitFor(
        STEP,
        "bob's PENDING_PAYMENT",
        d -> "PENDING_PAYMENT".equals(browser.data("order-status", "status")));
    assertThat(browser.data("order-status", "via"))
        .as("how bob's PENDING_PAYMENT arrived")
        .isEqualTo("poll");
    assertThat(browser.data("transport", "kind")).isEqualTo("poll");
  }

  /** The dashboard in a desktop-sized tab, while a burst of buyers sells the rest out. */
  private static String dashboard(Browser browser, String dashboardUrl, GatewayClient api)
      throws Exception {
    String saleId = dashboardUrl.replaceAll(".*[?&]sale=(\\d+).*", "$1");
    browser.driver().switchTo().newWindow(WindowType.TAB);
    browser.open(dashboardUrl);
    browser.waitFor(
        STEP, "dashboard shows the sale", d -> browser.data("stock-left", "value") != null);
    assertTokenTakenOutOfTheAddressBar(browser, dashboardUrl);
    Thread.sleep(2_000);

    List<CompletableFuture<Integer>> burst = new ArrayList<>();
    for (int i = 0; i < BURST_BUYERS; i++) {
      String token = api.userToken("burst-" + i);
      burst.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return api.post(
                          "/api/sales/" + saleId + "/purchases",
                          token,
                          new JsonObject().put("quantity", 1))
                      .status();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    long accepted = burst.stream().map(CompletableFuture::join).filter(s -> s == 202).count();
    assertThat(accepted).as("the burst takes what alice and bob left").isEqualTo(STOCK - 2);

    browser.waitFor(
        STEP,
        "sold-out answers counted on the dashboard",
        d -> browser.text("admission-table").contains("sold-out"));
    return browser.driver().getWindowHandle();
  }

  /** Once the payment windows have closed, every number the dashboard shows equals the audit's. */
  private static void dashboardMatchesAudit(
      Browser browser, GatewayClient api, String admin, String saleId) {
    JsonObject[] last = new JsonObject[1];
    browser.waitFor(
        Duration.ofSeconds(PAYMENT_SECONDS + 20),
        "dashboard equal to a drained audit",
        d -> {
          try {
            JsonObject audit = api.get("/admin/sales/" + saleId + "/audit", admin).body();
            last[0] = audit;
            JsonObject byStatus = audit.getJsonObject("ordersByStatus");
            return audit.getBoolean("drained")
                && byStatus.getLong("PENDING_PAYMENT") == 0
                && String.valueOf(audit.getLong("redisStockLeft"))
                    .equals(browser.data("stock-left", "value"))
                && String.valueOf(byStatus.getLong("PAID")).equals(browser.data("paid", "value"))
                && String.valueOf(byStatus.getLong("CANCELLED"))
                    .equals(browser.data("cancelled", "value"))
                && "0".equals(browser.data("pending", "value"))
                && String.valueOf(audit.getBoolean("consistent"))
                    .equals(browser.data("consistent", "value"));
          } catch (Exception e) {
            return false;
          }
        });
    JsonObject audit = last[0];
    assertThat(audit.getBoolean("consistent")).as(audit.encodePrettily()).isTrue();
    assertThat(audit.getLong("redisStockLeft")).isEqualTo(STOCK - 1);
    assertThat(audit.getJsonObject("ordersByStatus").getLong("PAID")).isEqualTo(1);
    assertThat(audit.getJsonObject("ordersByStatus").getLong("CANCELLED")).isEqualTo(STOCK - 1);
    assertThat(browser.text("stock-left")).isEqualTo(String.valueOf(STOCK - 1));
    assertThat(browser.text("paid")).isEqualTo("1");
    long holding = browser.driver().findElements(By.cssSelector("#invariants li.holds")).size();
    assertThat(holding)
        .as("invariants shown as holding")
        .isEqualTo(audit.getJsonArray("invariants").size());
  }

  /**
   * The admin token came in the fragment: the page keeps it in memory, not in the address bar,
   * history or storage.
   */
  private static void assertTokenTakenOutOfTheAddressBar(Browser browser, String dashboardUrl) {
    String token = dashboardUrl.substring(dashboardUrl.indexOf("#token=") + "#token=".length());
    assertThat(token).startsWith("eyJ");
    browser.waitFor(STEP, "the fragment cleared", d -> !d.getCurrentUrl().contains("#"));
    assertThat(browser.driver().getCurrentUrl()).doesNotContain("token=");
    assertThat(
            browser.script(
                "return JSON.stringify(Object.assign({}, localStorage)) + JSON.stringify(Object.assign({}, sessionStorage))"))
        .asString()
        .doesNotContain(token);
  }

  private static void signIn(Browser browser, String user) {
    browser.type("user-id", user);
    browser.click("use-demo-user");
    browser.waitFor(
        STEP,
        "signed in as " + user,
        d -> browser.text("who-status").contains("Signed in as " + user + "."));
  }

  /**
   * At phone width: nothing scrolls sideways, and the Buy button is fully on screen without
   * scrolling.
   */
  @SuppressWarnings("unchecked")
  private static void assertUsableOnPhone(Browser browser) {
    Map<String, Object> m =
        (Map<String, Object>)
            browser.script(
                """
        const b = document.getElementById('buy').getBoundingClientRect();
        return {inner: window.innerWidth, height: window.innerHeight, left: b.left, right: b.right, top: b.top, bottom: b.bottom};""");
    assertThat(num(m, "inner")).as("viewport width").isEqualTo(PHONE_WIDTH);
    assertNoHorizontalScroll(browser);
    assertThat(num(m, "left")).as("Buy button left edge").isGreaterThanOrEqualTo(0);
    assertThat(num(m, "right")).as("Buy button right edge").isLessThanOrEqualTo(PHONE_WIDTH);
    assertThat(num(m, "top")).as("Buy button top").isGreaterThanOrEqualTo(0);
    assertThat(num(m, "bottom"))
        .as("Buy button bottom, above the fold")
        .isLessThanOrEqualTo(num(m, "height"));
    assertThat(browser.byId("buy").isDisplayed()).isTrue();
  }

  private static void assertNoHorizontalScroll(Browser browser) {
    Number scroll = (Number) browser.script("return document.documentElement.scrollWidth");
    Number inner = (Number) browser.script("return window.innerWidth");
    assertThat(scroll.intValue())
        .as("page width at %d px", inner.intValue())
        .isLessThanOrEqualTo(inner.intValue());
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }
}
