package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Optional;
import org.abtest.analytics.calculator.CalculatorLimits;
import org.abtest.http.ApiRoutes;
import org.abtest.http.ApiServices;
import org.abtest.http.ports.Role;
import org.abtest.node.results.EngineAnalysisService;
import org.abtest.protocol.Json;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The calculator endpoints end to end: real routes, real engine, API.md's own examples. */
class AnalysisEndpointsTest {

  private static ActorTestKit testKit;
  private static ServerBinding binding;
  private static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void bind() throws Exception {
    testKit = ActorTestKit.create();
    var services =
        ApiServices.of(new PrometheusRegistry(), Clock.systemUTC())
            .withAuthenticator(
                token -> token.equals("viewer") ? Optional.of(Role.VIEWER) : Optional.empty())
            .withAnalysis(new EngineAnalysisService(CalculatorLimits.defaults()));
    binding =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(new ApiRoutes(services).handler(testKit.system()))
            .toCompletableFuture()
            .get();
  }

  @AfterAll
  static void unbind() {
    binding.unbind();
    testKit.shutdownTestKit();
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path))
            .header("Authorization", "Bearer viewer")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void powerExampleOfTheApiAnswers14751() throws Exception {
    // API.md: R power.prop.test(p1 = 0.10, p2 = 0.11, power = 0.8) gives 14750.8 per group
    var reply =
        post(
            "/v1/power",
            """
            {"kind": "proportion", "baseline": 0.10, "mde": 0.01, "relative": false,
             "alpha": 0.05, "power": 0.8}""");
    assertThat(reply.statusCode()).isEqualTo(200);
    assertThat(Json.mapper().readTree(reply.body()).get("nPerGroup").asLong()).isEqualTo(14751);
  }

  @Test
  void analysisExampleOfTheApiAnswersEveryListedField() throws Exception {
    var reply =
        post(
            "/v1/analysis",
            """
            {"kind": "mean", "alpha": 0.05, "baseline": "control", "correction": "bh",
             "variants": [{"key": "control", "n": 1000, "sum": 5012.3, "sumSquares": 30555.1},
                          {"key": "b", "n": 1010, "sum": 5222.9, "sumSquares": 32001.7,
                           "covariate": {"sum": 4980.0, "sumSquares": 29001.2, "sumProducts": 29511.9}}],
             "weights": [5000, 5000],
             "sequential": {"method": "msprt", "tau2": 0.01},
             "continuityCorrection": false}""");
    assertThat(reply.statusCode()).isEqualTo(200);
    JsonNode body = Json.mapper().readTree(reply.body());
    assertThat(body.get("srm").fieldNames()).toIterable().contains("chi2", "pValue", "mismatch");
    assertThat(body.get("comparisons").get(0).fieldNames())
        .toIterable()
        .contains(
            "variant",
            "baseline",
            "diff",
            "ciLow",
            "ciHigh",
            "statistic",
            "df",
            "pValue",
            "adjustedPValue",
            "relLift",
            "relCiLow",
            "relCiHigh",
            "cohensD",
            "probabilityToBeat",
            "expectedLoss",
            "alwaysValidPValue",
            "csLow",
            "csHigh",
            "cuped",
            "verdict");
  }

  @Test
  void invalidInputIs400WithTheFieldPath() throws Exception {
    var reply =
        post(
            "/v1/analysis",
            """
            {"kind": "proportion", "variants": [{"key": "a", "n": 10, "conversions": 3},
              {"key": "b", "n": 10, "conversions": "many"}]}""");
    assertThat(reply.statusCode()).isEqualTo(400);
    assertThat(Json.mapper().readTree(reply.body()).at("/error/field").asText())
        .isEqualTo("variants[1].conversions");
  }

  @Test
  void aStringWhereANumberBelongsIsNamedInOurWords() throws Exception {
    var reply = post("/v1/power", "{\"kind\": \"proportion\", \"alpha\": \"0.05\"}");
    assertThat(reply.statusCode()).isEqualTo(400);
    JsonNode error = Json.mapper().readTree(reply.body()).get("error");
    assertThat(error.get("field").asText()).isEqualTo("alpha");
    assertThat(error.get("message").asText())
        .isEqualTo("alpha must be a number")
        .doesNotContain("coerce", "CoercionConfig", "java.");
  }

  @Test
  void aBanditWithMoreArmsThanTheLimitIs400NamingArms() throws Exception {
    StringBuilder arms = new StringBuilder();
    for (int i = 0; i <= CalculatorLimits.defaults().maxArms(); i++) {
      arms.append(i == 0 ? "" : ",")
          .append("{\"key\": \"a")
          .append(i)
          .append("\", \"n\": 10, \"conversions\": 1}");
    }
    var reply = post("/v1/analysis/bandit", "{\"arms\": [" + arms + "]}");
    assertThat(reply.statusCode()).isEqualTo(400);
    assertThat(Json.mapper().readTree(reply.body()).at("/error/field").asText()).isEqualTo("arms");
  }
}
