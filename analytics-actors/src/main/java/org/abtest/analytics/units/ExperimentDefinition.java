package org.abtest.analytics.units;

import java.time.Instant;
import java.util.List;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.manifest.ManifestExperiment;

/**
 * What unit state needs to know of one experiment: its current phase, its metrics and its funnel. A
 * partition fixes the definition of an experiment × phase when it sees the phase's first exposure,
 * so that replaying the same log with the same definitions gives the same numbers.
 *
 * @param funnel ordered event types, or empty when the experiment has no funnel
 * @param funnelWindowHours how long after exposure funnel steps count (null: no limit)
 * @param epochs the phase's weight epochs known so far, oldest first (empty: none known); unlike
 *     the rest they grow during the phase, and a table takes the newest from the live definitions
 * @param startedAt when the phase started (the journal's {@code Phase.startedAt}), which decides
 *     the phase of an exposure by its {@code ts} ({@link PhaseRule}); null when not known (a
 *     definition stored or snapshotted before it was recorded)
 */
public record ExperimentDefinition(
    String key,
    int phase,
    List<MetricDefinition> metrics,
    List<String> funnel,
    Integer funnelWindowHours,
    List<WeightEpoch> epochs,
    Instant startedAt) {

  public ExperimentDefinition {
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
    funnel = funnel == null ? List.of() : List.copyOf(funnel);
    epochs = epochs == null ? List.of() : List.copyOf(epochs);
  }

  /** Without the phase's start (not known). */
  public ExperimentDefinition(
      String key,
      int phase,
      List<MetricDefinition> metrics,
      List<String> funnel,
      Integer funnelWindowHours,
      List<WeightEpoch> epochs) {
    this(key, phase, metrics, funnel, funnelWindowHours, epochs, null);
  }

  /** Without weight epochs (a definition read from a snapshot: its table syncs them later). */
  public ExperimentDefinition(
      String key,
      int phase,
      List<MetricDefinition> metrics,
      List<String> funnel,
      Integer funnelWindowHours) {
    this(key, phase, metrics, funnel, funnelWindowHours, List.of(), null);
  }

  /** The same definition with the phase's weight epochs as now known. */
  /** The same definition under another key (an environment's results key). */
  public ExperimentDefinition withKey(String resultsKey) {
    return new ExperimentDefinition(
        resultsKey, phase, metrics, funnel, funnelWindowHours, epochs, startedAt);
  }

  public ExperimentDefinition withEpochs(List<WeightEpoch> known) {
    return new ExperimentDefinition(
        key, phase, metrics, funnel, funnelWindowHours, known, startedAt);
  }

  /** The same definition with the time its phase started (null: not known). */
  public ExperimentDefinition withStartedAt(Instant start) {
    return new ExperimentDefinition(key, phase, metrics, funnel, funnelWindowHours, epochs, start);
  }

  /**
   * The definition a manifest entry implies. A metric that carries funnel {@code steps} defines the
   * funnel (the first such metric; the contract has one funnel per experiment) and still counts as
   * a proportion metric of its last step.
   */
  public static ExperimentDefinition of(ManifestExperiment e) {
    return of(e.key(), e.phase(), e.metrics()).withStartedAt(e.phaseStartedAt());
  }

  public static ExperimentDefinition of(String key, int phase, List<MetricDefinition> metrics) {
    List<String> funnel = List.of();
    Integer window = null;
    for (MetricDefinition m : metrics == null ? List.<MetricDefinition>of() : metrics) {
      if (m.steps() != null && !m.steps().isEmpty()) {
        funnel = m.steps();
        window = m.attributionWindowHours();
        break;
      }
    }
    return new ExperimentDefinition(key, phase, metrics, funnel, window);
  }

  /** Whether a metric event of this type can change a unit's numbers in this experiment. */
  public boolean uses(String eventType) {
    for (MetricDefinition m : metrics) {
      if (m.reads(eventType)) {
        return true;
      }
    }
    return funnel.contains(eventType);
  }
}
