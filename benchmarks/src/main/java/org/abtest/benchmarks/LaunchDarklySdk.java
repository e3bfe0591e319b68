package org.abtest.benchmarks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.launchdarkly.sdk.LDContext;
import com.launchdarkly.sdk.server.Components;
import com.launchdarkly.sdk.server.LDClient;
import com.launchdarkly.sdk.server.LDConfig;
import com.launchdarkly.sdk.server.integrations.FileData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.abtest.protocol.Json;

/**
 * The LaunchDarkly server SDK, offline in the sense of talking to no service: flags from a file
 * data source, events off. Each experiment is a flag whose targeting rule (or fallthrough) is a
 * percentage rollout; "off" means not in the experiment. Layers are emulated by giving the
 * experiments of a layer one rollout seed and disjoint bucket ranges.
 */
final class LaunchDarklySdk implements Implementation {

  private final List<Scenario.Spec> specs;
  private final LDClient client;

  LaunchDarklySdk(List<Scenario.Spec> specs) throws Exception {
    this.specs = specs;
    Path file = Files.createTempFile("ld-flags", ".json");
    file.toFile().deleteOnExit();
    Files.writeString(file, flags(specs));
    LDConfig config =
        new LDConfig.Builder()
            .dataSource(FileData.dataSource().filePaths(file))
            .events(Components.noEvents())
            .diagnosticOptOut(true)
            .startWait(Duration.ofSeconds(5))
            .build();
    this.client = new LDClient("sdk-key-unused-offline", config);
    if (!client.isInitialized()) {
      throw new IllegalStateException("LaunchDarkly did not load the flag file");
    }
  }

  static String flags(List<Scenario.Spec> specs) {
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode flags = root.putObject("flags");
    for (Scenario.Spec s : specs) {
      ObjectNode f = flags.putObject(s.key());
      f.put("key", s.key()).put("version", 1).put("on", true).put("salt", "salt-" + s.key());
      ArrayNode variations = f.putArray("variations").add("off");
      s.variants().forEach(variations::add);
      f.put("offVariation", 0);
      f.putArray("targets");
      f.putArray("prerequisites");
      ObjectNode rollout = rollout(s);
      ArrayNode rules = f.putArray("rules");
      if (s.condition() == Scenario.Condition.NONE) {
        f.putObject("fallthrough").set("rollout", rollout);
      } else {
        f.putObject("fallthrough").put("variation", 0);
        ObjectNode rule = rules.addObject();
        rule.put("id", "rule-" + s.key());
        ObjectNode clause = rule.putArray("clauses").addObject();
        clause.put("contextKind", "user").put("negate", false);
        switch (s.condition()) {
          case COUNTRY ->
              clause
                  .put("attribute", "country")
                  .put("op", "in")
                  .putArray("values")
                  .add("US")
                  .add("CA");
          case PLATFORM ->
              clause.put("attribute", "platform").put("op", "in").putArray("values").add("ios");
          case VERSION ->
              clause
                  .put("attribute", "appVersion")
                  .put("op", "semVerGreaterThan")
                  .putArray("values")
                  .add("2.5.0");
          case AGE ->
              clause.put("attribute", "age").put("op", "greaterThan").putArray("values").add(30);
          case NONE -> throw new IllegalStateException();
        }
        rule.set("rollout", rollout);
      }
    }
    return root.toString();
  }

  /** Weights are in 1/100000; variation 0 is "off", 1.. the scenario's variants. */
  private static ObjectNode rollout(Scenario.Spec s) {
    ObjectNode r = Json.mapper().createObjectNode();
    ArrayNode w = r.putArray("variations");
    int n = s.variants().size();
    int used = 0;
    if (s.layer() >= 0) {
      r.put("seed", 1000 + s.layer());
      used = add(w, 0, s.slotStart() * 10, used);
      int width = s.slotEnd() - s.slotStart();
      for (int i = 0; i < n; i++) {
        used = add(w, i + 1, width * s.coverage() / 10_000 / n * 10, used);
      }
    } else {
      for (int i = 0; i < n; i++) {
        used = add(w, i + 1, s.coverage() / n * 10, used);
        if (i < n - 1) {
          used = add(w, 0, (10_000 / n - s.coverage() / n) * 10, used);
        }
      }
    }
    add(w, 0, 100_000 - used, used);
    return r;
  }

  private static int add(ArrayNode w, int variation, int weight, int used) {
    if (weight > 0) {
      w.addObject().put("variation", variation).put("weight", weight);
    }
    return used + weight;
  }

  private static LDContext context(Scenario.User u) {
    return LDContext.builder(u.id())
        .set("country", u.country())
        .set("platform", u.platform())
        .set("appVersion", u.appVersion())
        .set("age", u.age())
        .build();
  }

  @Override
  public String name() {
    return "launchdarkly";
  }

  @Override
  public int evaluateAll(Scenario.User user) {
    LDContext ctx = context(user);
    int in = 0;
    for (Scenario.Spec s : specs) {
      if (!"off".equals(client.stringVariation(s.key(), ctx, "off"))) {
        in++;
      }
    }
    return in;
  }

  @Override
  public String variant(Scenario.User user, String experiment) {
    String v = client.stringVariation(experiment, context(user), "off");
    return "off".equals(v) ? null : v;
  }

  @Override
  public List<Scenario.Spec> specs() {
    return specs;
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (Exception ignored) {
      // benchmark teardown
    }
  }
}
