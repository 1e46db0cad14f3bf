package io.seckill.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium through its own chromedriver. Both paths are given explicitly, so
 * Selenium Manager never runs and nothing is downloaded; override them with -Dseckill.chromium and
 * -Dseckill.chromedriver.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of(System.getProperty("seckill.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("seckill.chromedriver", "/usr/bin/chromedriver"));
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** Null when both executables are there, else what is missing and how to install it. */
  static String missing() {
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(p)) {
        return p
            + " is missing: install it with `apt-get install -y chromium chromium-driver` (.ci/run does), "
            + "point -Dseckill.chromium / -Dseckill.chromedriver at another copy, or skip with -Dseckill.skipBrowser=true";
      }
    }
    return null;
  }

  static Browser start() throws Exception {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    Files.createDirectories(SCREENSHOTS);
    Path profile = Files.createTempDirectory("seckill-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Root in a container: no sandbox, no GPU, /dev/shm may be tiny; no traffic leaves the machine.
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-default-apps",
        "--disable-extensions",
        "--user-data-dir=" + profile,
        "--window-size=1280,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(new File("target/chromedriver.log"))
            .build();
    return new Browser(new ChromeDriver(service, options), profile);
  }

  WebDriver driver() {
    return driver;
  }

  void open(String url) {
    driver.get(url);
  }

  /**
   * A phone's viewport (CSS pixels) for the current tab: width, touch-sized, and the meta viewport
   * honoured.
   */
  void phone(int width, int height) {
    viewport(width, height, 2, true);
  }

  private void viewport(int width, long height, double scale, boolean mobile) {
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", scale, "mobile", mobile));
  }

  /**
   * The whole page at this width, however tall: the viewport is stretched to the page's height for
   * the shot.
   */
  Path fullPage(String name, int width, boolean mobile) throws Exception {
    viewport(width, 900, 1, mobile);
    long height = ((Number) script("return document.documentElement.scrollHeight")).longValue();
    viewport(width, height, 1, mobile);
    return screenshot(name);
  }

  /** Runs before any script of every page this tab loads from now on. */
  void beforeEveryPage(String js) {
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", js));
  }

  void reload() {
    driver.navigate().refresh();
  }

  WebElement byId(String id) {
    return driver.findElement(By.id(id));
  }

  void click(String id) {
    byId(id).click();
  }

  void type(String id, String text) {
    WebElement input = byId(id);
    input.clear();
    input.sendKeys(text);
  }

  String text(String id) {
    return byId(id).getText();
  }

  String data(String id, String name) {
    return byId(id).getDomAttribute("data-" + name);
  }

  <T> T waitFor(Duration timeout, String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(100))
        .withMessage(what)
        .until(condition);
  }

  Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  Path screenshot(String name) throws Exception {
    Path file = SCREENSHOTS.resolve(name + ".png");
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    return file;
  }

  @Override
  public void close() throws Exception {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
