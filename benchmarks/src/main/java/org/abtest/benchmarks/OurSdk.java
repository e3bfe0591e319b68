package org.abtest.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;

/**
 * Ours: the scenario as a manifest, evaluated by {@link CompiledManifest}. The scenario's 50
 * experiments use 5 distinct conditions, and one evaluation tests each distinct condition once.
 * Unshared, every experiment's condition is made distinct (wrapped in an {@code $and} with a clause
 * on an absent attribute that always holds), so all of them are tested: the cost without that
 * sharing, and a little more.
 */
final class OurSdk implements Implementation {

  private final List<Scenario.Spec> specs;
  private final CompiledManifest manifest;

  OurSdk(List<Scenario.Spec> specs) {
    this(specs, true);
  }

  OurSdk(List<Scenario.Spec> specs, boolean shareConditions) {
    this.specs = specs;
    List<ManifestExperiment> experiments = new ArrayList<>();
    for (Scenario.Spec s : specs) {
      List<Variant> variants = new ArrayList<>();
      for (String v : s.variants()) {
        variants.add(new Variant(v, 10_000 / s.variants().size(), null));
      }
      experiments.add(
          new ManifestExperiment(
              s.key(),
              s.flag() ? ExperimentType.FLAG : ExperimentType.EXPERIMENT,
              1,
              "salt-" + s.key(),
              s.layer() < 0 ? null : "layer" + s.layer(),
              s.layer() < 0 ? null : new SlotRange(s.slotStart(), s.slotEnd()),
              false,
              shareConditions ? condition(s.condition()) : unshared(s.condition(), s.key()),
              s.coverage(),
              variants,
              Map.of(),
              List.of(),
              null,
              null));
    }
    this.manifest = CompiledManifest.compile(new Manifest(1, experiments, Map.of(), null));
    if (!manifest.problems().isEmpty()) {
      throw new IllegalStateException(manifest.problems().toString());
    }
  }

  private static JsonNode condition(Scenario.Condition c) {
    String json =
        switch (c) {
          case NONE -> null;
          case COUNTRY -> "{\"country\": {\"$in\": [\"US\", \"CA\"]}}";
          case PLATFORM -> "{\"platform\": \"ios\"}";
          case VERSION -> "{\"appVersion\": {\"$vgt\": \"2.5.0\"}}";
          case AGE -> "{\"age\": {\"$gt\": 30}}";
        };
    try {
      return json == null ? null : Json.mapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode unshared(Scenario.Condition c, String key) {
    JsonNode shared = condition(c);
    ObjectNode wrapped = Json.mapper().createObjectNode();
    var all = wrapped.putArray("$and");
    if (shared != null) {
      all.add(shared);
    }
    all.addObject().putObject("benchmarkTag").put("$ne", key);
    return wrapped;
  }

  private static ObjectNode attributes(Scenario.User u) {
    ObjectNode a = Json.mapper().createObjectNode();
    a.put("country", u.country());
    a.put("platform", u.platform());
    a.put("appVersion", u.appVersion());
    a.put("age", u.age());
    return a;
  }

  CompiledManifest compiled() {
    return manifest;
  }

  @Override
  public String name() {
    return "abtest";
  }

  @Override
  public int evaluateAll(Scenario.User user) {
    return manifest.evaluate(user.id(), attributes(user)).size();
  }

  @Override
  public String variant(Scenario.User user, String experiment) {
    for (Assignment a : manifest.evaluate(user.id(), attributes(user))) {
      if (a.experiment().equals(experiment)) {
        return a.variant();
      }
    }
    return null;
  }

  @Override
  public List<Scenario.Spec> specs() {
    return specs;
  }
}
