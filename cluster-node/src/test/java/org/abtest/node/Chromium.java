package org.abtest.node;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium for browser tests (STACK.md): installs {@code chromium} and {@code
 * chromium-driver} with apt when they are missing (CI is a fresh machine), and starts the driver
 * with a fresh profile and XDG directories under {@code target/}, so nothing touches the network or
 * the home directory.
 */
final class Chromium {

  static final File BROWSER = new File("/usr/bin/chromium");
  static final File DRIVER = new File("/usr/bin/chromedriver");

  private Chromium() {}

  static synchronized void ensureInstalled() throws IOException, InterruptedException {
    if (BROWSER.canExecute() && DRIVER.canExecute()) {
      return;
    }
    Path log = Files.createDirectories(Path.of("target")).resolve("apt-chromium.log");
    // a fresh machine may have no package lists yet: update only when the first try fails
    String install = "DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver";
    String script = install + " || (apt-get update && " + install + ")";
    Process apt =
        new ProcessBuilder("bash", "-c", script)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    if (!apt.waitFor(10, TimeUnit.MINUTES) || apt.exitValue() != 0) {
      apt.destroyForcibly();
      throw new IllegalStateException(
          "installing chromium and chromium-driver failed; see " + log.toAbsolutePath());
    }
    if (!BROWSER.canExecute() || !DRIVER.canExecute()) {
      throw new IllegalStateException("apt installed chromium but " + BROWSER + " is missing");
    }
  }

  static ChromeDriver start() throws IOException, InterruptedException {
    ensureInstalled();
    Path home = Files.createDirectories(Path.of("target", "chromium").toAbsolutePath());
    Path profile = Files.createTempDirectory(home, "profile-");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER)
            .usingAnyFreePort()
            .withEnvironment(
                Map.of(
                    "XDG_CONFIG_HOME", home.resolve("config").toString(),
                    "XDG_CACHE_HOME", home.resolve("cache").toString()))
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER);
    options.addArguments(
        List.of(
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,1000",
            "--user-data-dir=" + profile));
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return driver;
  }
}
