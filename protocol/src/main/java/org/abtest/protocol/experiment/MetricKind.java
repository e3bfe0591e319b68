package org.abtest.protocol.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code proportion}: a unit converts if it has at least one such event; {@code mean}: the unit's
 * value is the sum of its events' values.
 */
public enum MetricKind {
  @JsonProperty("proportion")
  PROPORTION,
  @JsonProperty("mean")
  MEAN
}
