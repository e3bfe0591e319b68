package org.abtest.protocol.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Metrics any service can send without defining them, and the reserved guardrail on the sample
 * ratio. A guardrail naming {@link #ERROR} ({@code error} events, the share of units with one) or
 * {@link #LATENCY} ({@code latency_ms} events, the mean per unit of their values) gets that metric
 * added to the experiment's metrics ({@link #complete}), so it is counted and analysed as any
 * defined one; a guardrail on {@link #SRM} watches the units per variant against the weights and
 * needs no metric at all.
 */
public final class BuiltInMetrics {

  /** The reserved guardrail "metric" of the sample-ratio check; no metric may take the key. */
  public static final String SRM = "srm";

  public static final MetricDefinition ERROR =
      new MetricDefinition("error", "error", MetricKind.PROPORTION, null);

  public static final MetricDefinition LATENCY =
      new MetricDefinition("latency_ms", "latency_ms", MetricKind.MEAN, null);

  private static final List<MetricDefinition> ALL = List.of(ERROR, LATENCY);

  private BuiltInMetrics() {}

  /** The built-in metric of this key, if it is one. */
  public static Optional<MetricDefinition> named(String key) {
    return ALL.stream().filter(m -> m.key().equals(key)).findFirst();
  }

  /**
   * {@code e} with each built-in metric its guardrails name, and its metrics lack, appended to its
   * metrics; {@code e} itself when there is none to add.
   */
  public static Experiment complete(Experiment e) {
    List<MetricDefinition> metrics = new ArrayList<>(e.metrics());
    for (Guardrail g : e.guardrails()) {
      if (metrics.stream().noneMatch(m -> m.key().equals(g.metric()))) {
        named(g.metric()).ifPresent(metrics::add);
      }
    }
    return metrics.size() == e.metrics().size()
        ? e
        : e.with(Map.of(ExperimentField.METRICS, List.copyOf(metrics)));
  }
}
