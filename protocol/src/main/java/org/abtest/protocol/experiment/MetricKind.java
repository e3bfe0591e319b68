package org.abtest.protocol.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code proportion}: a unit converts if it has at least one such event; {@code mean}: the unit's
 * value is the sum of its events' values; {@code ratio}: a unit has a numerator and a denominator
 * (each a sum or a count of events), and the metric is Σnumerator / Σdenominator over the units of
 * a variant, analysed by the delta method with the unit as the unit of analysis.
 */
public enum MetricKind {
  @JsonProperty("proportion")
  PROPORTION,
  @JsonProperty("mean")
  MEAN,
  @JsonProperty("ratio")
  RATIO
}
