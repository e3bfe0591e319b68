package org.abtest.protocol.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.assignment.Bucketing;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;

/**
 * One live experiment in the internal manifest: what the server's evaluators need, plus its metrics
 * (so that aggregators know what to count) and overrides in clear. SDKs never get this: they
 * download {@link SdkExperiment}, derived by {@link SdkView}. {@code weightsSince}: when the write
 * that set the current weights was made (its journal stamp), the start of the weight epoch that SRM
 * tests units against; null when not known. {@code phaseStartedAt}: when the current phase started
 * (its {@code Phase.startedAt} in the journal, the same in every region), by which unit state gives
 * each exposure the phase in force at its {@code ts}; null when not known (older manifests). {@link
 * #of} leaves both null; the manifest publisher sets them with {@link #withWeightsSince} and {@link
 * #withPhaseStartedAt}. {@code sticky}: the experiment's {@code stickyBucketing} (a shipped entry
 * is never sticky: it serves one variant).
 */
public record ManifestExperiment(
    String key,
    ExperimentType type,
    int phase,
    String salt,
    String layer,
    SlotRange layerSlots,
    boolean holdout,
    JsonNode targeting,
    int coverage,
    List<Variant> variants,
    Map<String, String> overrides,
    List<MetricDefinition> metrics,
    Instant weightsSince,
    Instant phaseStartedAt,
    boolean sticky)
    implements CborSerializable {

  /** An entry without sticky bucketing. */
  public ManifestExperiment(
      String key,
      ExperimentType type,
      int phase,
      String salt,
      String layer,
      SlotRange layerSlots,
      boolean holdout,
      JsonNode targeting,
      int coverage,
      List<Variant> variants,
      Map<String, String> overrides,
      List<MetricDefinition> metrics,
      Instant weightsSince,
      Instant phaseStartedAt) {
    this(
        key,
        type,
        phase,
        salt,
        layer,
        layerSlots,
        holdout,
        targeting,
        coverage,
        variants,
        overrides,
        metrics,
        weightsSince,
        phaseStartedAt,
        false);
  }

  /** The same entry with the time of the write that set its current weights. */
  public ManifestExperiment withWeightsSince(Instant at) {
    return new ManifestExperiment(
        key,
        type,
        phase,
        salt,
        layer,
        layerSlots,
        holdout,
        targeting,
        coverage,
        variants,
        overrides,
        metrics,
        at,
        phaseStartedAt,
        sticky);
  }

  /** The same entry with sticky bucketing on or off. */
  public ManifestExperiment withSticky(boolean on) {
    return new ManifestExperiment(
        key,
        type,
        phase,
        salt,
        layer,
        layerSlots,
        holdout,
        targeting,
        coverage,
        variants,
        overrides,
        metrics,
        weightsSince,
        phaseStartedAt,
        on);
  }

  /** The same entry at another coverage (an environment's own, {@link Manifest#forEnvironment}). */
  public ManifestExperiment withCoverage(int newCoverage) {
    return new ManifestExperiment(
        key,
        type,
        phase,
        salt,
        layer,
        layerSlots,
        holdout,
        targeting,
        newCoverage,
        variants,
        overrides,
        metrics,
        weightsSince,
        phaseStartedAt,
        sticky);
  }

  /** The same entry with the time its current phase started. */
  public ManifestExperiment withPhaseStartedAt(Instant at) {
    return new ManifestExperiment(
        key,
        type,
        phase,
        salt,
        layer,
        layerSlots,
        holdout,
        targeting,
        coverage,
        variants,
        overrides,
        metrics,
        weightsSince,
        at,
        sticky);
  }

  public ManifestExperiment {
    targeting = targeting == null || targeting.isNull() ? null : targeting;
    variants = List.copyOf(variants);
    overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
  }

  /**
   * A concluded experiment's entry in {@link Manifest#shipped}: its shipped variant alone, of full
   * weight and coverage, so every unit its targeting matches gets it (the global holdout still
   * keeps its units out when the experiment respects it). No layer (its slots went back to the
   * layer at the conclude, and a new owner may hold them), no overrides (QA is over) and no metrics
   * (its results are frozen).
   *
   * @throws IllegalArgumentException when the experiment ships nothing
   */
  public static ManifestExperiment shipping(Experiment e) {
    Variant shipped =
        e.shippedVariant()
            .orElseThrow(() -> new IllegalArgumentException(e.key() + " ships no variant"));
    return new ManifestExperiment(
        e.key(),
        e.type(),
        e.phase(),
        e.salt(),
        null,
        null,
        e.holdout(),
        e.targeting(),
        Bucketing.BUCKETS,
        List.of(new Variant(shipped.key(), Bucketing.BUCKETS, shipped.config())),
        Map.of(),
        List.of(),
        null,
        null);
  }

  public static ManifestExperiment of(Experiment e) {
    return new ManifestExperiment(
        e.key(),
        e.type(),
        e.phase(),
        e.salt(),
        e.layer(),
        e.layerSlots(),
        e.holdout(),
        e.targeting(),
        e.coverage(),
        e.variants(),
        e.overrides(),
        e.metrics(),
        null,
        null,
        e.stickyBucketing());
  }
}
