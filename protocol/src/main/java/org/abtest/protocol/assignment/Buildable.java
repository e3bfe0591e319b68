package org.abtest.protocol.assignment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abtest.protocol.Json;
import org.abtest.protocol.JsonDepth;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;

/**
 * Whether one experiment can go into a manifest: written as JSON and CBOR (for nodes, SDKs and the
 * stored copy), read back by every node, and compiled. One that cannot is left out and listed in
 * {@link Manifest#degraded()}, so it assigns nobody while every other experiment, and a kill of any
 * of them, is served as usual. The admin API refuses such definitions already; this is for whatever
 * still gets through (older definitions, a bug).
 */
public final class Buildable {

  /**
   * Deepest JSON an experiment may have in a manifest. Jackson refuses to write or read past 1000
   * levels, and a manifest wraps each experiment in a few more; the API accepts at most a few
   * dozen.
   */
  public static final int MAX_EXPERIMENT_DEPTH = 128;

  private Buildable() {}

  /** Why the experiment cannot be built, or empty when it can. */
  public static Optional<String> problem(ManifestExperiment e) {
    JsonNode tree;
    try {
      tree = Json.mapper().valueToTree(e);
    } catch (IllegalArgumentException ex) {
      return Optional.of("cannot be written as JSON: " + ex.getMessage());
    }
    int depth = JsonDepth.of(tree);
    if (depth > MAX_EXPERIMENT_DEPTH) {
      return Optional.of("nested " + depth + " levels deep; at most " + MAX_EXPERIMENT_DEPTH);
    }
    try {
      Json.mapper().writeValueAsBytes(tree);
    } catch (JsonProcessingException ex) {
      return Optional.of("cannot be written as JSON: " + ex.getOriginalMessage());
    }
    try {
      CompiledExperiment.compile(e, e.layer() != null ? 0 : -1, new ConditionTable(), false);
    } catch (RuntimeException ex) {
      return Optional.of("cannot be compiled: " + ex.getMessage());
    }
    return Optional.empty();
  }

  /** The manifest without the experiments that cannot be built, which it lists as degraded. */
  public static Manifest usable(Manifest manifest) {
    Map<String, String> degraded = new LinkedHashMap<>(manifest.degraded());
    List<ManifestExperiment> live = kept(manifest.experiments(), degraded);
    List<ManifestExperiment> shipped = kept(manifest.shipped(), degraded);
    if (degraded.size() == manifest.degraded().size()) {
      return manifest;
    }
    return new Manifest(
        manifest.version(),
        live,
        manifest.layerSalts(),
        manifest.holdout(),
        degraded,
        shipped,
        manifest.environments());
  }

  private static List<ManifestExperiment> kept(
      List<ManifestExperiment> experiments, Map<String, String> degraded) {
    List<ManifestExperiment> kept = new ArrayList<>();
    for (ManifestExperiment e : experiments) {
      Optional<String> problem = problem(e);
      if (problem.isPresent()) {
        degraded.put(e.key(), problem.get());
      } else {
        kept.add(e);
      }
    }
    return kept;
  }
}
