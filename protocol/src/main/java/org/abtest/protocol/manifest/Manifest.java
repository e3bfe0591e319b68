package org.abtest.protocol.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.CborSerializable;

/**
 * Everything an evaluator needs to assign units, as one immutable, versioned snapshot: the internal
 * manifest of the server's evaluators and unit-state side. SDKs get its {@link SdkView} ({@link
 * SdkManifest}), which gives the same answers with the same function.
 *
 * @param experiments the live (running) experiments, in a stable order
 * @param layerSalts each layer's own salt, by layer key
 * @param holdout the global holdout, or null when there is none
 * @param degraded running experiments left out because they cannot be built into a manifest (key →
 *     reason): they assign nobody, and every other experiment is served as usual. Written only when
 *     not empty.
 * @param shipped concluded experiments that keep serving one variant ({@link
 *     ManifestExperiment#shipping}): evaluated as experiments are, after them, and never live
 *     (exposures of them are refused, their results stay frozen). Written only when not empty.
 */
public record Manifest(
    long version,
    List<ManifestExperiment> experiments,
    Map<String, String> layerSalts,
    Holdout holdout,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> degraded,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ManifestExperiment> shipped)
    implements CborSerializable {

  public static final Manifest EMPTY = new Manifest(0, List.of(), Map.of(), null);

  public Manifest {
    experiments = List.copyOf(experiments);
    layerSalts = layerSalts == null ? Map.of() : Map.copyOf(layerSalts);
    degraded = degraded == null ? Map.of() : Map.copyOf(degraded);
    shipped = shipped == null ? List.of() : List.copyOf(shipped);
  }

  /** A manifest that ships nothing. */
  public Manifest(
      long version,
      List<ManifestExperiment> experiments,
      Map<String, String> layerSalts,
      Holdout holdout,
      Map<String, String> degraded) {
    this(version, experiments, layerSalts, holdout, degraded, List.of());
  }

  /** A manifest in which every running experiment could be built. */
  public Manifest(
      long version,
      List<ManifestExperiment> experiments,
      Map<String, String> layerSalts,
      Holdout holdout) {
    this(version, experiments, layerSalts, holdout, Map.of());
  }
}
