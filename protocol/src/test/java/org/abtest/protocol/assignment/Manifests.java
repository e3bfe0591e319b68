package org.abtest.protocol.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Holdout;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;

/** Builders for the manifests the assignment tests evaluate. */
final class Manifests {

  private Manifests() {}

  static List<Variant> variants(int... weights) {
    List<Variant> out = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      out.add(
          new Variant(
              i == 0 ? "control" : "v" + i,
              weights[i],
              Json.mapper().createObjectNode().put("i", i)));
    }
    return out;
  }

  static ManifestExperiment experiment(String key, int coverage, int... weights) {
    return new ManifestExperiment(
        key,
        ExperimentType.EXPERIMENT,
        1,
        "salt-" + key,
        null,
        null,
        false,
        null,
        coverage,
        variants(weights),
        Map.of(),
        List.of(),
        null,
        null);
  }

  static ManifestExperiment layered(String key, String layer, int from, int to, int... weights) {
    ManifestExperiment e = experiment(key, 10_000, weights);
    return new ManifestExperiment(
        e.key(),
        e.type(),
        e.phase(),
        e.salt(),
        layer,
        new SlotRange(from, to),
        false,
        null,
        e.coverage(),
        e.variants(),
        Map.of(),
        List.of(),
        null,
        null);
  }

  static ManifestExperiment with(
      ManifestExperiment e, JsonNode targeting, boolean holdout, Map<String, String> overrides) {
    return new ManifestExperiment(
        e.key(),
        e.type(),
        e.phase(),
        e.salt(),
        e.layer(),
        e.layerSlots(),
        holdout,
        targeting,
        e.coverage(),
        e.variants(),
        overrides,
        e.metrics(),
        null,
        null);
  }

  static Manifest manifest(ManifestExperiment... experiments) {
    return new Manifest(7, List.of(experiments), Map.of(), null);
  }

  static Manifest manifest(
      Map<String, String> layerSalts, Holdout holdout, ManifestExperiment... experiments) {
    return new Manifest(7, List.of(experiments), layerSalts, holdout);
  }

  static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The variant key for the one experiment named, or null when the unit is not in it. */
  static String variantOf(List<Assignment> assignments, String experiment) {
    for (Assignment a : assignments) {
      if (a.experiment().equals(experiment)) {
        return a.variant();
      }
    }
    return null;
  }
}
