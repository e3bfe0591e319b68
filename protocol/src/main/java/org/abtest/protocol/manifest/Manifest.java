package org.abtest.protocol.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.experiment.EnvironmentSetting;
import org.abtest.protocol.experiment.Environments;

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
 * @param environments the per-environment settings of the experiments that have them (experiment
 *     key → environment → setting); an experiment not listed runs in every environment. The
 *     evaluators of one environment read {@link #forEnvironment}, which applies them. Written only
 *     when not empty.
 */
public record Manifest(
    long version,
    List<ManifestExperiment> experiments,
    Map<String, String> layerSalts,
    Holdout holdout,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> degraded,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ManifestExperiment> shipped,
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Map<String, Map<String, EnvironmentSetting>> environments)
    implements CborSerializable {

  public static final Manifest EMPTY = new Manifest(0, List.of(), Map.of(), null);

  public Manifest {
    experiments = List.copyOf(experiments);
    layerSalts = layerSalts == null ? Map.of() : Map.copyOf(layerSalts);
    degraded = degraded == null ? Map.of() : Map.copyOf(degraded);
    shipped = shipped == null ? List.of() : List.copyOf(shipped);
    environments = environments == null ? Map.of() : Map.copyOf(environments);
  }

  /** A manifest without per-environment settings: the same in every environment. */
  public Manifest(
      long version,
      List<ManifestExperiment> experiments,
      Map<String, String> layerSalts,
      Holdout holdout,
      Map<String, String> degraded,
      List<ManifestExperiment> shipped) {
    this(version, experiments, layerSalts, holdout, degraded, shipped, Map.of());
  }

  /**
   * What the SDK keys of {@code environment} evaluate, of the same version: the experiments enabled
   * there, each at that environment's coverage when it has one, and the shipped experiments enabled
   * there (at full coverage: a shipped variant is a decision, not a test). Without per-environment
   * settings, this manifest itself.
   */
  public Manifest forEnvironment(String environment) {
    if (environments.isEmpty()) {
      return this;
    }
    List<ManifestExperiment> live = new ArrayList<>();
    for (ManifestExperiment e : experiments) {
      Map<String, EnvironmentSetting> settings = environments.get(e.key());
      if (Environments.enabled(settings, environment)) {
        int coverage = Environments.coverage(e.coverage(), settings, environment);
        live.add(coverage == e.coverage() ? e : e.withCoverage(coverage));
      }
    }
    List<ManifestExperiment> ships =
        shipped.stream()
            .filter(e -> Environments.enabled(environments.get(e.key()), environment))
            .toList();
    return new Manifest(version, live, layerSalts, holdout, degraded, ships, Map.of());
  }

  /** The environments some experiment's settings name, in order. */
  public SortedSet<String> namedEnvironments() {
    SortedSet<String> names = new TreeSet<>();
    environments.values().forEach(settings -> names.addAll(settings.keySet()));
    return names;
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
