package org.abtest.benchmarks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.util.UnleashConfig;
import java.util.List;
import java.util.Optional;
import org.abtest.protocol.Json;

/**
 * The Unleash Java client, bootstrapped from a features document and never talking to a server
 * (polling and metrics off). Each experiment is a toggle with a flexibleRollout strategy
 * (constraints for the conditions, rollout for coverage) and variants for the arms. Unleash has no
 * mutual exclusion: a layered experiment gets a rollout of its slot share instead, which costs the
 * same to evaluate but does not make the layer's experiments disjoint.
 */
final class UnleashSdk implements Implementation {

  private final List<Scenario.Spec> specs;
  private final Unleash unleash;

  UnleashSdk(List<Scenario.Spec> specs) {
    this.specs = specs;
    String features = features(specs);
    UnleashConfig config =
        UnleashConfig.builder()
            .appName("abtest-benchmark")
            .unleashAPI("http://127.0.0.1:9/api/")
            .toggleBootstrapProvider(() -> Optional.of(features))
            .disablePolling()
            .disableMetrics()
            .synchronousFetchOnInitialisation(false)
            .build();
    this.unleash = new DefaultUnleash(config);
  }

  static String features(List<Scenario.Spec> specs) {
    ObjectNode root = Json.mapper().createObjectNode().put("version", 2);
    ArrayNode features = root.putArray("features");
    for (Scenario.Spec s : specs) {
      ObjectNode f = features.addObject().put("name", s.key()).put("enabled", true);
      f.put("type", "experiment");
      ObjectNode strategy = f.putArray("strategies").addObject().put("name", "flexibleRollout");
      int share =
          s.layer() < 0 ? s.coverage() : (s.slotEnd() - s.slotStart()) * s.coverage() / 10_000;
      strategy
          .putObject("parameters")
          .put("rollout", Integer.toString(share / 100))
          .put("stickiness", "userId")
          .put("groupId", s.key());
      ArrayNode constraints = strategy.putArray("constraints");
      switch (s.condition()) {
        case NONE -> {}
        case COUNTRY ->
            constraints
                .addObject()
                .put("contextName", "country")
                .put("operator", "IN")
                .putArray("values")
                .add("US")
                .add("CA");
        case PLATFORM ->
            constraints
                .addObject()
                .put("contextName", "platform")
                .put("operator", "IN")
                .putArray("values")
                .add("ios");
        case VERSION ->
            constraints
                .addObject()
                .put("contextName", "appVersion")
                .put("operator", "SEMVER_GT")
                .put("value", "2.5.0");
        case AGE ->
            constraints
                .addObject()
                .put("contextName", "age")
                .put("operator", "NUM_GT")
                .put("value", "30");
      }
      if (!s.flag()) {
        ArrayNode variants = strategy.putArray("variants");
        for (String v : s.variants()) {
          variants
              .addObject()
              .put("name", v)
              .put("weight", 1000 / s.variants().size())
              .put("weightType", "variable")
              .put("stickiness", "userId");
        }
      }
    }
    return root.toString();
  }

  private static UnleashContext context(Scenario.User u) {
    return UnleashContext.builder()
        .userId(u.id())
        .addProperty("country", u.country())
        .addProperty("platform", u.platform())
        .addProperty("appVersion", u.appVersion())
        .addProperty("age", Integer.toString(u.age()))
        .build();
  }

  private String evaluate(Scenario.Spec s, UnleashContext ctx) {
    if (s.flag()) {
      return unleash.isEnabled(s.key(), ctx) ? "on" : null;
    }
    var v = unleash.getVariant(s.key(), ctx);
    return v.isEnabled() ? v.getName() : null;
  }

  @Override
  public String name() {
    return "unleash";
  }

  @Override
  public int evaluateAll(Scenario.User user) {
    UnleashContext ctx = context(user);
    int in = 0;
    for (Scenario.Spec s : specs) {
      if (evaluate(s, ctx) != null) {
        in++;
      }
    }
    return in;
  }

  @Override
  public String variant(Scenario.User user, String experiment) {
    for (Scenario.Spec s : specs) {
      if (s.key().equals(experiment)) {
        return evaluate(s, context(user));
      }
    }
    return null;
  }

  @Override
  public List<Scenario.Spec> specs() {
    return specs;
  }

  @Override
  public void close() {
    unleash.shutdown();
  }
}
