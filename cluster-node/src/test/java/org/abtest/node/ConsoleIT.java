package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;
import org.abtest.deploy.testing.RealServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in headless Chromium against a real node: sign in, create an experiment through the
 * form, size it with the power calculator, start it, watch events arrive through the results
 * WebSocket, kill it through the confirmation dialog; a viewer cannot press kill; schedule an
 * experiment with the holdout and a QA override and edit them. Screenshots of the main screens go
 * to {@code target/screenshots/}.
 */
@ExtendWith(RealServers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

  private static final Path SHOTS = Path.of("target", "screenshots");

  private static TestNode node;
  private static ChromeDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start("console_it");
    browser = Chromium.start();
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  @Order(1)
  void anAdminCreatesStartsWatchesAndKillsAnExperiment() throws Exception {
    signIn(TestNode.ADMIN, "admin");

    browser.findElement(By.id("new-experiment")).click();
    type(wait.until(ExpectedConditions.elementToBeClickable(By.id("f-key"))), "green-button");
    type(By.id("f-name"), "Green checkout button");
    type(By.id("f-hypothesis"), "A green button makes more people buy.");
    assertThat(browser.findElement(By.id("f-weight-sum")).getText()).startsWith("10000 / 10000");
    WebElement treatmentWeight = browser.findElements(By.cssSelector(".v-weight")).get(1);
    type(treatmentWeight, "4000");
    wait.until(ExpectedConditions.textToBe(By.id("f-weight-sum"), "9000 / 10000 basis points"));
    type(treatmentWeight, "5000");
    type(By.id("f-target"), "20000");

    // the layer's free slot ranges, one click to take one
    assertThat(node.call("POST", "/v1/layers", TestNode.ADMIN, "{\"key\": \"checkout\"}").status())
        .isEqualTo(201);
    type(By.id("f-layer"), "checkout" + Keys.TAB);
    wait.until(
            ExpectedConditions.elementToBeClickable(
                By.xpath("//div[@id='f-layer-info']//button[text()='[0, 10000)']")))
        .click();
    assertThat(browser.findElement(By.id("f-slot-end")).getDomProperty("value")).isEqualTo("10000");

    browser.findElement(By.id("power-mde-button")).click();
    wait.until(ExpectedConditions.textMatches(By.id("power-mde"), Pattern.compile("±0\\.0\\d+")));
    assertThat(browser.findElement(By.id("power-runtime")).getText()).contains("day");

    // the API's validation names the field; the form shows it at the targeting editor
    type(By.id("f-targeting"), "{\"country\": {\"$bogus\": 1}}");
    browser.findElement(By.id("save")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error")));
    assertThat(browser.findElement(By.id("form-error")).getText()).startsWith("targeting");
    assertThat(browser.findElement(By.id("f-targeting")).getAttribute("class")).contains("invalid");
    type(By.id("f-targeting"), "{\"country\": {\"$in\": [\"US\", \"CA\"]}}");
    screenshot("form");

    browser.findElement(By.id("save")).click();
    wait.until(ExpectedConditions.textToBe(By.id("status"), "DRAFT"));

    // edit: a PATCH of only the changed field, with the version from the ETag as If-Match
    browser.findElement(By.id("edit")).click();
    type(wait.until(ExpectedConditions.elementToBeClickable(By.id("f-name"))), "Green button");
    browser.findElement(By.id("save")).click();
    // the history shows each changed field's old and new value
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("history"), "name \"Green checkout button\" → \"Green button\""));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Green button");
    browser.findElement(By.id("action-start")).click();
    wait.until(ExpectedConditions.textToBe(By.id("status"), "RUNNING"));
    wait.until(ExpectedConditions.textToBe(By.id("live-state"), "live"));

    sendEvents("green-button", 120);
    WebDriverWait slow = new WebDriverWait(browser, Duration.ofSeconds(30));
    slow.until(
        ExpectedConditions.textToBe(
            By.cssSelector("#variant-units tr[data-variant='treatment'] .units"), "60"));
    slow.until(
        ExpectedConditions.textToBe(
            By.cssSelector("#variant-units tr[data-variant='control'] .units"), "60"));
    slow.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector(
                ".metric[data-metric='conversion'] tr[data-variant='treatment'] .ci .range")));
    assertThat(
            browser
                .findElement(
                    By.cssSelector(
                        ".metric[data-metric='conversion'] tr[data-variant='treatment'] .p"))
                .getText())
        .matches("[0-9.e-]+");
    // the Bayesian expected loss of choosing treatment, where the engine gives one
    assertThat(
            browser
                .findElement(
                    By.cssSelector(
                        ".metric[data-metric='conversion'] tr[data-variant='treatment']"
                            + " .expected-loss"))
                .getText())
        .matches("[0-9.e-]+");
    slow.until(
        ExpectedConditions.attributeToBeNotEmpty(
            browser.findElement(By.id("lift-chart")), "data-points"));
    screenshot("live-results");

    // staging's results are its own traffic's: none here; production's come back on choosing it
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#results-environment option[value='staging']")));
    new Select(browser.findElement(By.id("results-environment"))).selectByValue("staging");
    slow.until(
        ExpectedConditions.textToBe(
            By.cssSelector("#variant-units tr[data-variant='treatment'] .units"), "0"));
    new Select(browser.findElement(By.id("results-environment"))).selectByValue("production");
    slow.until(
        ExpectedConditions.textToBe(
            By.cssSelector("#variant-units tr[data-variant='treatment'] .units"), "60"));

    browser.findElement(By.id("action-kill")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-ok"))).click();
    wait.until(ExpectedConditions.textToBe(By.id("status"), "KILLED"));
    assertThat(browser.findElement(By.id("action-kill")).isEnabled()).isFalse();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), "kill"));
    assertThat(
            node.call("GET", "/v1/experiments/green-button", TestNode.ADMIN, null)
                .body()
                .get("status")
                .asText())
        .isEqualTo("KILLED");

    browser.get(node.baseUrl() + "/console/#/experiments");
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#experiments tr[data-key='green-button']")));
    screenshot("list");
  }

  @Test
  @Order(2)
  void aViewerSeesKillDisabled() throws Exception {
    assertThat(
            node.call(
                    "POST",
                    "/v1/experiments",
                    TestNode.ADMIN,
                    """
        {"key": "viewed", "variants": [{"key": "a", "weight": 5000}, {"key": "b", "weight": 5000}]}
        """)
                .status())
        .isEqualTo(201);
    assertThat(node.call("POST", "/v1/experiments/viewed/start", TestNode.ADMIN, null).status())
        .isEqualTo(200);
    String viewer =
        node.call(
                "POST",
                "/v1/tokens",
                TestNode.ADMIN,
                "{\"role\": \"viewer\", \"name\": \"it viewer\"}")
            .body()
            .get("token")
            .asText();

    signIn(viewer, "viewer");
    assertThat(browser.findElement(By.id("new-experiment")).isDisplayed()).isFalse();
    browser.get(node.baseUrl() + "/console/#/experiments/viewed");
    wait.until(ExpectedConditions.textToBe(By.id("status"), "RUNNING"));
    assertThat(browser.findElement(By.id("action-kill")).isEnabled()).isFalse();
    assertThat(browser.findElement(By.id("action-pause")).isEnabled()).isFalse();
    assertThat(browser.findElement(By.id("action-kill")).getAttribute("title")).contains("viewer");
  }

  @Test
  @Order(3)
  void anExperimenterPausesButCannotKillAndChangesWeightsStickily() throws Exception {
    String experimenter =
        node.call(
                "POST",
                "/v1/tokens",
                TestNode.ADMIN,
                "{\"role\": \"experimenter\", \"name\": \"it experimenter\"}")
            .body()
            .get("token")
            .asText();
    signIn(experimenter, "experimenter");
    browser.get(node.baseUrl() + "/console/#/experiments/viewed");
    wait.until(ExpectedConditions.textToBe(By.id("status"), "RUNNING"));
    assertThat(browser.findElement(By.id("action-pause")).isEnabled()).isTrue();
    assertThat(browser.findElement(By.id("action-kill")).isEnabled()).isFalse();
    assertThat(browser.findElement(By.id("action-conclude")).isEnabled()).isFalse();

    browser.findElement(By.id("edit")).click();
    var weights =
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".v-weight"), 2));
    type(weights.get(0), "4000");
    type(weights.get(1), "6000");
    browser.findElement(By.id("f-sticky")).click();
    browser.findElement(By.id("save")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), "variants"));
    var stored = node.call("GET", "/v1/experiments/viewed", TestNode.ADMIN, null).body();
    assertThat(stored.at("/variants/1/weight").asInt()).isEqualTo(6000);
    assertThat(stored.get("phase").asInt()).as("sticky: no new phase").isEqualTo(1);
  }

  @Test
  @Order(4)
  void theClusterViewShowsUnavailableOrTheClusterDocument() throws Exception {
    browser.get(node.baseUrl() + "/console/#/cluster");
    wait.until(
        ExpectedConditions.or(
            ExpectedConditions.presenceOfElementLocated(By.id("members")),
            ExpectedConditions.presenceOfElementLocated(By.id("cluster-unavailable"))));

    // The document's agreed shape, served by a stubbed fetch, so the view is checked whether or
    // not this node has GET /v1/cluster yet.
    browser.get(node.baseUrl() + "/console/#/experiments");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("experiments")));
    browser.executeScript(
        """
        const sample = {region: 'region-a',
          regions: [{name: 'region-a', local: true, replicationLagMs: null, lastSeenAt: null},
                    {name: 'region-b', local: false, replicationLagMs: 120, lastSeenAt: '2026-11-22T10:00:00Z'}],
          members: [{address: 'pekko://abtest@127.0.0.1:25520', roles: ['dc-region-a'], status: 'Up',
                     reachable: true, leader: true, self: true, shards: {experiment: 12, 'unit-state': 4},
                     manifestVersion: 17}],
          manifestVersion: 17,
          kafka: {topic: 'abtest-events', group: 'abtest-aggregators', lag: 0,
                  partitions: [{partition: 0, endOffset: 100, committed: 100, lag: 0}]}};
        const real = window.fetch;
        window.fetch = (url, init) => String(url).startsWith('/v1/cluster')
          ? Promise.resolve(new Response(JSON.stringify(sample), {status: 200}))
          : real(url, init);
        location.hash = '#/cluster';
        """);
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("#regions tr[data-region='region-b']"), "120 ms"));
    assertThat(browser.findElement(By.id("members")).getText()).contains("experiment: 12");
    assertThat(browser.findElement(By.cssSelector("#partitions td")).getText()).isEqualTo("0");
    screenshot("cluster");
  }

  @Test
  @Order(5)
  void anAdminConcludesShippingAVariantAndLaterKillsIt() throws Exception {
    assertThat(
            node.call(
                    "POST",
                    "/v1/experiments",
                    TestNode.ADMIN,
                    """
        {"key": "shipping", "variants": [{"key": "a", "weight": 5000},
                                         {"key": "b", "weight": 5000, "config": {"on": true}}]}
        """)
                .status())
        .isEqualTo(201);
    assertThat(node.call("POST", "/v1/experiments/shipping/start", TestNode.ADMIN, null).status())
        .isEqualTo(200);
    signIn(TestNode.ADMIN, "admin");
    browser.get(node.baseUrl() + "/console/#/experiments/shipping");
    wait.until(ExpectedConditions.textToBe(By.id("status"), "RUNNING"));

    browser.findElement(By.id("action-conclude")).click();
    WebElement ship = wait.until(ExpectedConditions.elementToBeClickable(By.id("ship")));
    new Select(ship).selectByValue("b");
    browser.findElement(By.id("confirm-ok")).click();
    wait.until(ExpectedConditions.textToBe(By.id("status"), "CONCLUDED"));
    assertThat(browser.findElement(By.id("shipped")).getText()).startsWith("b, served to everyone");
    assertThat(
            node.call("GET", "/v1/experiments/shipping", TestNode.ADMIN, null)
                .body()
                .get("shipped")
                .asText())
        .isEqualTo("b");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), "shipped"));
    screenshot("shipped");

    // killing takes the shipped variant back; a concluded experiment that ships nothing has no kill
    assertThat(browser.findElement(By.id("action-kill")).isEnabled()).isTrue();
    browser.findElement(By.id("action-kill")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-ok"))).click();
    wait.until(ExpectedConditions.textToBe(By.id("status"), "KILLED"));
    assertThat(browser.findElements(By.id("shipped"))).isEmpty();
  }

  @Test
  @Order(6)
  void anAdminSchedulesAnExperimentWithHoldoutAndAnOverrideAndEditsThem() throws Exception {
    signIn(TestNode.ADMIN, "admin");
    Instant startAt = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MINUTES);
    Instant endAt = startAt.plus(Duration.ofDays(7));

    browser.findElement(By.id("new-experiment")).click();
    type(wait.until(ExpectedConditions.elementToBeClickable(By.id("f-key"))), "qa-scheduled");
    type(By.id("f-name"), "Scheduled with QA overrides");
    new Select(browser.findElement(By.id("f-type"))).selectByValue("bandit");
    assertThat(browser.findElement(By.id("f-type-hint")).getText()).contains("best arm");
    browser.findElement(By.id("f-holdout")).click();
    browser.findElement(By.id("f-sticky-bucketing")).click();
    browser.findElement(By.id("add-override")).click();
    type(By.cssSelector("#f-overrides .o-unit"), "qa-user-1");
    new Select(browser.findElement(By.cssSelector("#f-overrides .o-variant")))
        .selectByValue("treatment");
    dateTime(By.id("f-start-at"), startAt);
    // the conversion metric becomes a funnel: its event follows the last step
    type(By.cssSelector("#f-metrics .m-steps"), "view_cart → checkout, purchase");

    // the API's in_the_past and unknown_variant name their fields; the form marks those controls
    dateTime(By.id("f-end-at"), Instant.now().minus(Duration.ofDays(1)));
    browser.findElement(By.id("save")).click();
    wait.until(ExpectedConditions.textMatches(By.id("form-error"), Pattern.compile("^endAt: ")));
    assertThat(browser.findElement(By.id("f-end-at")).getAttribute("class")).contains("invalid");
    dateTime(By.id("f-end-at"), endAt);
    assertThat(browser.findElement(By.id("f-end-at")).getAttribute("class"))
        .doesNotContain("invalid");
    WebElement treatmentKey = browser.findElements(By.cssSelector(".v-key")).get(1);
    type(treatmentKey, "green");
    browser.findElement(By.id("save")).click();
    wait.until(
        ExpectedConditions.textMatches(
            By.id("form-error"), Pattern.compile("^overrides\\.qa-user-1: ")));
    assertThat(browser.findElement(By.cssSelector("#f-overrides .o-variant")).getAttribute("class"))
        .contains("invalid");
    type(treatmentKey, "treatment");
    screenshot("form-schedule");

    browser.findElement(By.id("save")).click();
    wait.until(ExpectedConditions.textToBe(By.id("status"), "DRAFT"));
    assertThat(browser.findElement(By.id("overrides")).getText())
        .isEqualTo("qa-user-1 → treatment");
    var stored = node.call("GET", "/v1/experiments/qa-scheduled", TestNode.ADMIN, null).body();
    assertThat(stored.get("type").asText()).isEqualTo("bandit");
    assertThat(stored.get("holdout").asBoolean()).isTrue();
    assertThat(stored.get("stickyBucketing").asBoolean()).isTrue();
    assertThat(stored.at("/overrides/qa-user-1").asText()).isEqualTo("treatment");
    assertThat(Instant.parse(stored.get("startAt").asText())).isEqualTo(startAt);
    assertThat(Instant.parse(stored.get("endAt").asText())).isEqualTo(endAt);
    assertThat(stored.at("/metrics/0/steps"))
        .extracting(JsonNode::asText)
        .containsExactly("view_cart", "checkout", "purchase");
    assertThat(stored.at("/metrics/0/event").asText()).isEqualTo("purchase");

    // edit: the override moves to control and the end is cleared; nothing else is sent
    browser.findElement(By.id("edit")).click();
    WebElement override =
        wait.until(
            ExpectedConditions.elementToBeClickable(By.cssSelector("#f-overrides .o-variant")));
    assertThat(browser.findElement(By.id("f-type")).isEnabled()).as("type is fixed").isFalse();
    new Select(override).selectByValue("control");
    dateTime(By.id("f-end-at"), null);
    screenshot("form-schedule-edit");
    browser.findElement(By.id("save")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("history"),
            "overrides {\"qa-user-1\":\"treatment\"} → {\"qa-user-1\":\"control\"}"));
    assertThat(browser.findElement(By.id("history")).getText()).contains("endAt \"");
    stored = node.call("GET", "/v1/experiments/qa-scheduled", TestNode.ADMIN, null).body();
    assertThat(stored.at("/overrides/qa-user-1").asText()).isEqualTo("control");
    assertThat(stored.has("endAt")).as("endAt cleared").isFalse();
    assertThat(Instant.parse(stored.get("startAt").asText())).isEqualTo(startAt);
    var history =
        node.call("GET", "/v1/experiments/qa-scheduled/history", TestNode.ADMIN, null)
            .body()
            .get("history");
    var edit = history.get(history.size() - 1);
    assertThat(edit.get("changed"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("overrides", "endAt");

    // an experimenter may not change the holdout or the end of a running experiment: the form
    // says so instead of offering a change the API refuses ("viewed" runs since test 2)
    String experimenter =
        node.call(
                "POST",
                "/v1/tokens",
                TestNode.ADMIN,
                "{\"role\": \"experimenter\", \"name\": \"it scheduler\"}")
            .body()
            .get("token")
            .asText();
    signIn(experimenter, "experimenter");
    browser.get(node.baseUrl() + "/console/#/experiments/viewed/edit");
    WebElement holdout =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("f-holdout")));
    assertThat(holdout.isEnabled()).isFalse();
    assertThat(holdout.getAttribute("title"))
        .isEqualTo("only an admin may change holdout of a RUNNING experiment");
    assertThat(browser.findElement(By.id("f-end-at")).isEnabled()).isFalse();
    assertThat(browser.findElement(By.id("f-start-at")).isEnabled()).isTrue();
    assertThat(browser.findElement(By.id("add-override")).isEnabled()).isTrue();
    screenshot("form-experimenter-running");
  }

  @Test
  void anAdminSetsGuardrailsARampAndEnvironmentsInTheFormAndEditsThem() throws Exception {
    signIn(TestNode.ADMIN, "admin");
    browser.findElement(By.id("new-experiment")).click();
    type(wait.until(ExpectedConditions.elementToBeClickable(By.id("f-key"))), "safe-rollout");
    type(By.id("f-coverage"), "100");
    browser.findElement(By.id("add-ramp-step")).click();
    browser.findElement(By.id("add-ramp-step")).click();
    List<WebElement> coverages = browser.findElements(By.cssSelector("#f-ramp .r-coverage"));
    List<WebElement> minutes = browser.findElements(By.cssSelector("#f-ramp .r-minutes"));
    type(coverages.get(0), "100");
    type(minutes.get(0), "30");
    type(coverages.get(1), "10000");
    type(minutes.get(1), "0");
    browser.findElement(By.id("add-guardrail")).click();
    new Select(browser.findElement(By.cssSelector("#f-guardrails .g-direction")))
        .selectByValue("decrease");
    type(By.cssSelector("#f-guardrails .g-threshold"), "0.02");
    new Select(browser.findElement(By.cssSelector("#f-guardrails .g-action")))
        .selectByValue("pause");
    browser.findElement(By.id("f-env-everywhere")).click();
    wait.until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("#f-environments tr[data-env='staging'] .e-enabled")))
        .click();
    browser
        .findElement(By.cssSelector("#f-environments tr[data-env='production'] .e-enabled"))
        .click();
    type(By.cssSelector("#f-environments tr[data-env='production'] .e-coverage"), "50");
    screenshot("form-safe-rollout");
    browser.findElement(By.id("save")).click();
    wait.until(ExpectedConditions.textToBe(By.id("status"), "DRAFT"));

    var stored = node.call("GET", "/v1/experiments/safe-rollout", TestNode.ADMIN, null).body();
    assertThat(stored.at("/rampPlan/steps/0/minutes").asInt()).isEqualTo(30);
    assertThat(stored.at("/rampPlan/steps/1/coverage").asInt()).isEqualTo(10000);
    assertThat(stored.at("/guardrails/0/metric").asText()).isEqualTo("conversion");
    assertThat(stored.at("/guardrails/0/direction").asText()).isEqualTo("decrease");
    assertThat(stored.at("/guardrails/0/threshold").asDouble()).isEqualTo(0.02);
    assertThat(stored.at("/guardrails/0/action").asText()).isEqualTo("pause");
    assertThat(stored.at("/environments/staging/enabled").asBoolean()).isTrue();
    assertThat(stored.at("/environments/production/coverage").asInt()).isEqualTo(50);
    assertThat(stored.at("/environments/development").isMissingNode()).isTrue();

    // edit: the guardrail now kills and the experiment runs everywhere; only those change
    browser.findElement(By.id("edit")).click();
    new Select(
            wait.until(
                ExpectedConditions.elementToBeClickable(By.cssSelector("#f-guardrails .g-action"))))
        .selectByValue("kill");
    browser.findElement(By.id("f-env-everywhere")).click();
    browser.findElement(By.id("save")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), "guardrails"));
    stored = node.call("GET", "/v1/experiments/safe-rollout", TestNode.ADMIN, null).body();
    assertThat(stored.at("/guardrails/0/action").asText()).isEqualTo("kill");
    assertThat(stored.has("environments")).as("environments cleared").isFalse();
    var history =
        node.call("GET", "/v1/experiments/safe-rollout/history", TestNode.ADMIN, null)
            .body()
            .get("history");
    assertThat(history.get(history.size() - 1).get("changed"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("guardrails", "environments");
  }

  /**
   * Sets a datetime-local input to {@code at} in the browser's own time zone (typed keys would
   * depend on its locale's field order), or clears it for null.
   */
  private void dateTime(By by, Instant at) {
    String local = "";
    if (at != null) {
      String zone =
          (String) browser.executeScript("return Intl.DateTimeFormat().resolvedOptions().timeZone");
      local =
          LocalDateTime.ofInstant(at, ZoneId.of(zone))
              .truncatedTo(ChronoUnit.MINUTES)
              .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"));
    }
    browser.executeScript(
        "arguments[0].value = arguments[1];"
            + " arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        browser.findElement(by),
        local);
  }

  @Test
  @Order(7)
  void theDetailPageShowsTheRampsProgressAndTheResultsEachGuardrailsState() throws Exception {
    var created =
        node.call(
            "POST",
            "/v1/experiments",
            TestNode.ADMIN,
            """
            {"key": "guarded", "coverage": 100,
             "rampPlan": {"steps": [{"coverage": 100, "minutes": 60}, {"coverage": 10000, "minutes": 0}]},
             "variants": [{"key": "control", "weight": 5000}, {"key": "treatment", "weight": 5000}],
             "metrics": [{"key": "conversion", "event": "purchase", "kind": "proportion"}],
             "guardrails": [{"metric": "conversion", "direction": "decrease", "action": "alert"}]}
            """);
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    assertThat(node.call("POST", "/v1/experiments/guarded/start", TestNode.ADMIN, null).status())
        .isEqualTo(200);
    signIn(TestNode.ADMIN, "admin");
    browser.get(node.baseUrl() + "/console/#/experiments/guarded");
    wait.until(ExpectedConditions.textToBe(By.id("status"), "RUNNING"));
    assertThat(browser.findElement(By.id("ramp")).getText())
        .contains("[1.00 % for 60 min] → 100.00 %")
        .contains("step 1 of 2");

    sendEvents("guarded", 120);
    WebElement row =
        new WebDriverWait(browser, Duration.ofSeconds(30))
            .until(
                ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#guardrails tr[data-metric='conversion']")));
    assertThat(row.getAttribute("data-status")).isIn("ok", "violated", "insufficient_data");
    assertThat(row.getText()).contains("decrease").contains("alert");
    screenshot("guardrails");
  }

  private void signIn(String token, String role) {
    // Leave the previous test's page first (its results socket and timers end with it), then
    // sign out by clearing the session, and load the console afresh.
    browser.get("about:blank");
    browser.manage().deleteAllCookies();
    browser.get(node.baseUrl() + "/console/");
    browser.executeScript("sessionStorage.clear()");
    browser.navigate().refresh();
    WebElement field;
    try {
      field = wait.until(ExpectedConditions.elementToBeClickable(By.id("token")));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          "no sign-in form at " + browser.getCurrentUrl() + "; the page: " + pageText(), e);
    }
    type(field, token);
    browser.findElement(By.id("sign-in")).click();
    wait.until(ExpectedConditions.attributeToBe(By.id("role"), "data-role", role));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("experiments")));
  }

  private String pageText() {
    String text = browser.findElement(By.tagName("body")).getText();
    return text.length() > 2000 ? text.substring(0, 2000) : text;
  }

  /**
   * Exposures for {@code units} units split evenly, and purchases: 1 in 3 in control, 1 in 2 in
   * treatment.
   */
  private void sendEvents(String experiment, int units) throws Exception {
    StringBuilder events = new StringBuilder();
    Instant now = Instant.now();
    for (int i = 0; i < units; i++) {
      String variant = i % 2 == 0 ? "control" : "treatment";
      String unit = "console-u-" + i;
      if (events.length() > 0) {
        events.append(',');
      }
      events.append(
          """
          {"eventId": "x-%s-%d", "type": "exposure", "unit": "%s", "experiment": "%s", "variant": "%s", "ts": "%s"}"""
              .formatted(experiment, i, unit, experiment, variant, now));
      boolean buys = variant.equals("control") ? i % 6 == 0 : i % 4 == 1;
      if (buys) {
        events.append(
            """
            ,{"eventId": "p-%s-%d", "type": "metric", "unit": "%s", "event": "purchase", "value": 20, "ts": "%s"}"""
                .formatted(experiment, i, unit, now.plusSeconds(5)));
      }
    }
    var reply = node.call("POST", "/v1/events", TestNode.SDK, "{\"events\": [" + events + "]}");
    assertThat(reply.status()).isEqualTo(202);
  }

  private void type(By by, String text) {
    type(browser.findElement(by), text);
  }

  private static void type(WebElement element, String text) {
    element.clear();
    element.sendKeys(text);
  }

  /** The whole page: the window is made as tall as the document for the shot. */
  private void screenshot(String name) throws Exception {
    Dimension before = browser.manage().window().getSize();
    browser.executeScript("window.scrollTo(0, 0)");
    long height = (Long) browser.executeScript("return document.documentElement.scrollHeight");
    browser
        .manage()
        .window()
        .setSize(new Dimension(before.getWidth(), (int) Math.min(height + 40, 4000)));
    try {
      Files.write(SHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    } finally {
      browser.manage().window().setSize(before);
    }
  }
}
