package org.abtest.benchmarks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.optimizely.ab.Optimizely;
import com.optimizely.ab.config.Variation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.Json;

/**
 * The Optimizely Java SDK from a datafile written here: typed audiences for the conditions,
 * mutually exclusive groups (policy random) for the layers, traffic allocation for coverage.
 */
final class OptimizelySdk implements Implementation {

  private final List<Scenario.Spec> specs;
  private final Optimizely optimizely;

  OptimizelySdk(List<Scenario.Spec> specs) {
    this.specs = specs;
    this.optimizely =
        Optimizely.builder().withDatafile(datafile(specs)).withEventHandler(event -> {}).build();
    if (!optimizely.isValid()) {
      throw new IllegalStateException("Optimizely rejected the datafile");
    }
  }

  static String datafile(List<Scenario.Spec> specs) {
    ObjectNode d = Json.mapper().createObjectNode();
    d.put("version", "4").put("projectId", "1").put("accountId", "1").put("revision", "1");
    d.put("anonymizeIP", true).put("botFiltering", false);
    ArrayNode attributes = d.putArray("attributes");
    for (String a : List.of("country", "platform", "appVersion", "age")) {
      attributes.addObject().put("id", "attr-" + a).put("key", a);
    }
    d.putArray("audiences");
    ArrayNode typed = d.putArray("typedAudiences");
    audience(
        typed,
        "COUNTRY",
        "[\"or\", {\"type\":\"custom_attribute\",\"name\":\"country\",\"match\":\"exact\",\"value\":\"US\"}, {\"type\":\"custom_attribute\",\"name\":\"country\",\"match\":\"exact\",\"value\":\"CA\"}]");
    audience(
        typed,
        "PLATFORM",
        "[\"and\", {\"type\":\"custom_attribute\",\"name\":\"platform\",\"match\":\"exact\",\"value\":\"ios\"}]");
    audience(
        typed,
        "VERSION",
        "[\"and\", {\"type\":\"custom_attribute\",\"name\":\"appVersion\",\"match\":\"semver_gt\",\"value\":\"2.5.0\"}]");
    audience(
        typed,
        "AGE",
        "[\"and\", {\"type\":\"custom_attribute\",\"name\":\"age\",\"match\":\"gt\",\"value\":30}]");
    d.putArray("events");
    d.putArray("featureFlags");
    d.putArray("rollouts");
    ArrayNode experiments = d.putArray("experiments");
    Map<Integer, ObjectNode> groups = new HashMap<>();
    ArrayNode groupArray = d.putArray("groups");
    for (Scenario.Spec s : specs) {
      ObjectNode e;
      if (s.layer() < 0) {
        e = experiments.addObject();
      } else {
        ObjectNode g =
            groups.computeIfAbsent(
                s.layer(),
                l -> {
                  ObjectNode n = groupArray.addObject();
                  n.put("id", "group-" + l).put("policy", "random");
                  n.putArray("trafficAllocation");
                  n.putArray("experiments");
                  return n;
                });
        ((ArrayNode) g.get("trafficAllocation"))
            .addObject()
            .put("entityId", "id-" + s.key())
            .put("endOfRange", s.slotEnd());
        e = ((ArrayNode) g.get("experiments")).addObject();
      }
      e.put("id", "id-" + s.key()).put("key", s.key()).put("status", "Running");
      e.put("layerId", "layer-" + s.key());
      ArrayNode audienceIds = e.putArray("audienceIds");
      if (s.condition() != Scenario.Condition.NONE) {
        audienceIds.add("aud-" + s.condition());
      }
      e.putObject("forcedVariations");
      ArrayNode variations = e.putArray("variations");
      ArrayNode traffic = e.putArray("trafficAllocation");
      List<String> vs = s.variants();
      int start = 0;
      for (String v : vs) {
        String id = s.key() + "-" + v;
        variations
            .addObject()
            .put("id", id)
            .put("key", v)
            .put("featureEnabled", true)
            .putArray("variables");
        int width = 10_000 / vs.size();
        traffic
            .addObject()
            .put("entityId", id)
            .put("endOfRange", start + s.coverage() * width / 10_000);
        start += width;
        traffic.addObject().put("entityId", "").put("endOfRange", start);
      }
    }
    // a gap in a group is a slot no experiment owns; the scenario's layers are full
    return d.toString();
  }

  private static void audience(ArrayNode typed, String name, String conditions) {
    try {
      typed
          .addObject()
          .put("id", "aud-" + name)
          .put("name", name)
          .set("conditions", Json.mapper().readTree(conditions));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> attributes(Scenario.User u) {
    Map<String, Object> a = new HashMap<>();
    a.put("country", u.country());
    a.put("platform", u.platform());
    a.put("appVersion", u.appVersion());
    a.put("age", u.age());
    return a;
  }

  @Override
  public String name() {
    return "optimizely";
  }

  @Override
  public int evaluateAll(Scenario.User user) {
    Map<String, Object> attrs = attributes(user);
    int in = 0;
    for (Scenario.Spec s : specs) {
      if (optimizely.getVariation(s.key(), user.id(), attrs) != null) {
        in++;
      }
    }
    return in;
  }

  @Override
  public String variant(Scenario.User user, String experiment) {
    Variation v = optimizely.getVariation(experiment, user.id(), attributes(user));
    return v == null ? null : v.getKey();
  }

  @Override
  public List<Scenario.Spec> specs() {
    return specs;
  }

  @Override
  public void close() {
    optimizely.close();
  }
}
