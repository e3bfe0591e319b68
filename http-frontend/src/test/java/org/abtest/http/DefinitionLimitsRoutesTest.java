package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.DefinitionLimits;
import org.junit.jupiter.api.Test;

/** Every limit of a definition is a 400 naming the field; one below it is accepted. */
class DefinitionLimitsRoutesTest extends RouteTestSupport {

  private static final DefinitionLimits LIMITS = fakes.experimentFake.limits();

  private static ObjectNode definition(String key) {
    ObjectNode body = Json.mapper().createObjectNode().put("key", key);
    body.putArray("variants").addObject().put("key", "on").put("weight", 10_000);
    return body;
  }

  private static ObjectNode nested(int depth) {
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode at = root;
    for (int i = 1; i < depth; i++) {
      at = at.putObject("n");
    }
    at.put("leaf", 1);
    return root;
  }

  private static Reply create(ObjectNode body) throws Exception {
    return call("POST", "/v1/experiments", FakeServices.ADMIN, body.toString());
  }

  private static void assertRefused(Reply reply, String code, String field) {
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo(code);
    assertThat(reply.body().at("/error/field").asText()).isEqualTo(field);
  }

  private static ObjectNode withConfig(String key, ObjectNode config) {
    ObjectNode body = definition(key);
    ((ObjectNode) body.get("variants").get(0)).set("config", config);
    return body;
  }

  @Test
  void aVariantConfigDeeperThanTheLimitIsRefusedWith400() throws Exception {
    assertThat(create(withConfig("deep-ok", nested(LIMITS.maxJsonDepth()))).status())
        .isEqualTo(201);
    assertRefused(
        create(withConfig("deep-config", nested(LIMITS.maxJsonDepth() + 1))),
        "nesting_too_deep",
        "variants[0].config");
  }

  @Test
  void aThousandLevelConfigIsRefusedWith400() throws Exception {
    // deeper than the body-wide backstop (abtest.http.limits.json-depth): refused while parsing,
    // with the same code, naming the path where the backstop was crossed
    Reply reply = create(withConfig("deep-996", nested(996)));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("nesting_too_deep");
    assertThat(reply.body().at("/error/field").asText()).startsWith("variants[0].config");
  }

  @Test
  void aVariantConfigLargerThanTheLimitIsRefusedWith400() throws Exception {
    ObjectNode big = Json.mapper().createObjectNode().put("s", "x".repeat(LIMITS.maxConfigBytes()));
    assertRefused(create(withConfig("big-config", big)), "config_too_large", "variants[0].config");
  }

  @Test
  void targetingDeeperThanTheLimitIsRefusedWith400() throws Exception {
    ObjectNode body = definition("deep-targeting");
    ObjectNode targeting = body.putObject("targeting");
    ObjectNode at = targeting;
    for (int i = 1; i <= LIMITS.maxJsonDepth(); i++) {
      at = at.putArray("$and").addObject();
    }
    at.put("country", "US");
    assertRefused(create(body), "nesting_too_deep", "targeting");
  }

  @Test
  void targetingLargerThanTheLimitIsRefusedWith400() throws Exception {
    ObjectNode body = definition("big-targeting");
    ArrayNode in = body.putObject("targeting").putObject("id").putArray("$in");
    for (int i = 0; i * 10 < LIMITS.maxTargetingBytes(); i++) {
      in.add("user-" + i);
    }
    assertRefused(create(body), "targeting_too_large", "targeting");
  }

  @Test
  void aRegexLongerThanTheLimitIsRefusedWith400() throws Exception {
    ObjectNode body = definition("long-regex");
    body.putObject("targeting").putObject("ua").put("$regex", "a".repeat(1025));
    assertRefused(create(body), "invalid_targeting", "targeting.ua.$regex");
  }

  @Test
  void aLookaheadRegexIsRefusedWith400NamingTheOperator() throws Exception {
    ObjectNode body = definition("lookahead");
    body.putObject("targeting").putObject("ua").put("$regexi", "mobile(?!.*tablet)");
    Reply reply = create(body);
    assertRefused(reply, "invalid_targeting", "targeting.ua.$regexi");
    assertThat(reply.body().at("/error/message").asText()).contains("lookaround");
  }

  @Test
  void moreVariantsThanTheLimitAreRefusedWith400() throws Exception {
    ObjectNode body = definition("many-variants");
    ArrayNode variants = body.putArray("variants");
    for (int i = 0; i <= LIMITS.maxVariants(); i++) {
      variants.addObject().put("key", "v" + i).put("weight", i == 0 ? 10_000 : 0);
    }
    assertRefused(create(body), "too_many_variants", "variants");
  }

  @Test
  void moreMetricsThanTheLimitAreRefusedWith400() throws Exception {
    ObjectNode body = definition("many-metrics");
    ArrayNode metrics = body.putArray("metrics");
    for (int i = 0; i <= LIMITS.maxMetrics(); i++) {
      metrics.addObject().put("key", "m" + i).put("event", "e").put("kind", "mean");
    }
    assertRefused(create(body), "too_many_metrics", "metrics");
  }

  @Test
  void moreOverridesThanTheLimitAreRefusedWith400() throws Exception {
    ObjectNode body = definition("many-overrides");
    ObjectNode overrides = body.putObject("overrides");
    for (int i = 0; i <= LIMITS.maxOverrides(); i++) {
      overrides.put("unit-" + i, "on");
    }
    assertRefused(create(body), "too_many", "overrides");
  }

  @Test
  void anOverrideUnitIdLongerThanTheLimitIsRefusedWith400() throws Exception {
    ObjectNode body = definition("long-unit");
    body.putObject("overrides").put("u".repeat(LIMITS.maxUnitIdChars() + 1), "on");
    assertRefused(create(body), "too_long", "overrides");
  }

  @Test
  void aNameLongerThanTheLimitIsRefusedWith400() throws Exception {
    ObjectNode body = definition("long-name").put("name", "n".repeat(LIMITS.maxTextChars() + 1));
    assertRefused(create(body), "too_long", "name");
  }

  @Test
  void aPatchIsHeldToTheSameLimits() throws Exception {
    assertThat(create(definition("patch-limits")).status()).isEqualTo(201);
    ObjectNode patch = Json.mapper().createObjectNode();
    patch
        .putArray("variants")
        .addObject()
        .put("key", "on")
        .put("weight", 10_000)
        .set("config", nested(LIMITS.maxJsonDepth() + 1));
    var request =
        java.net.http.HttpRequest.newBuilder(uri("/v1/experiments/patch-limits"))
            .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(patch.toString()))
            .header("Content-Type", "application/json")
            .header("If-Match", "\"1\"")
            .header("Authorization", "Bearer " + FakeServices.ADMIN)
            .build();
    var response = client().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(Json.mapper().readTree(response.body()).at("/error/field").asText())
        .isEqualTo("variants[0].config");
  }

  @Test
  void theDefaultsComeFromConfiguration() {
    assertThat(LIMITS.maxJsonDepth()).isEqualTo(32);
    assertThat(LIMITS.maxVariants()).isEqualTo(50);
  }
}
