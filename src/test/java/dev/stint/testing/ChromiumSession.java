package dev.stint.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Chromium session for a browser test: Debian's {@code /usr/bin/chromium} driven by
 * {@code /usr/bin/chromedriver}, never a downloaded browser or driver (both paths are given, so
 * Selenium Manager has nothing to look up, and it is told not to). Each session has a fresh profile
 * directory: separate sessions are separate people, with separate cookies.
 *
 * <p>Without Chromium the tests are skipped with a clear message, unless {@code
 * STINT_REQUIRE_BROWSER=1} (CI sets it): then they fail, so CI cannot silently skip them.
 */
public final class ChromiumSession implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** Every page's screenshot goes here during the run. */
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  /** With {@code -Dstint.readme.screenshot=true}, the README's screenshot is refreshed here. */
  public static final Path README_IMAGES = Path.of("docs", "img");

  /**
   * Selenium warns on every session that it ships no DevTools bindings for this Chromium; the tests
   * use WebDriver only. Held in a field: java.util.logging keeps loggers weakly.
   */
  private static final Logger SELENIUM_LOG = quiet();

  private final WebDriver driver;
  private final Path profile;

  private static Logger quiet() {
    Logger log = Logger.getLogger("org.openqa.selenium");
    log.setLevel(Level.SEVERE);
    return log;
  }

  private ChromiumSession(WebDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** Skips (or, with STINT_REQUIRE_BROWSER=1, fails) the calling test when Chromium is absent. */
  public static void requireChromium() {
    requireChromium(CHROMIUM, CHROMEDRIVER, System.getenv());
  }

  static void requireChromium(Path chromium, Path chromedriver, Map<String, String> env) {
    if (Files.isExecutable(chromium) && Files.isExecutable(chromedriver)) {
      return;
    }
    String message =
        "browser tests need Debian's chromium and chromium-driver ("
            + chromium
            + ", "
            + chromedriver
            + "): apt-get install chromium chromium-driver";
    if ("1".equals(env.get("STINT_REQUIRE_BROWSER"))) {
      Assertions.fail(message + " — STINT_REQUIRE_BROWSER=1, so this fails instead of skipping");
    }
    Assumptions.abort("SKIPPED: " + message);
  }

  public static ChromiumSession open() {
    requireChromium();
    System.setProperty("SE_AVOID_STATS", "true");
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    try {
      Path profile = Files.createTempDirectory("stint-chromium-");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      // Without the background-networking flags Chromium's own connections get refused on
      // these machines and page loads stall.
      options.addArguments(
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--window-size=1280,900",
          "--user-data-dir=" + profile);
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(CHROMEDRIVER.toFile())
              .usingAnyFreePort()
              .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
      return new ChromiumSession(driver, profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public WebDriver driver() {
    return driver;
  }

  /** Saves the current page as {@code target/screenshots/NAME.png}. */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Path target = SCREENSHOTS.resolve(name + ".png");
      Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Saves the screenshot and, when the run asked for it ({@code -Dstint.readme.screenshot=true},
   * see README), also as the README's image {@code docs/img/NAME.png}.
   */
  public void readmeScreenshot(String name) {
    Path shot = screenshot(name);
    if (Boolean.getBoolean("stint.readme.screenshot")) {
      try {
        Files.createDirectories(README_IMAGES);
        Files.copy(shot, README_IMAGES.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> paths = Files.walk(profile)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // A leftover temp profile is harmless; the test result matters more.
      }
    }
  }
}
