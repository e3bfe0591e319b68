package org.abtest.protocol.experiment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.abtest.protocol.CborSerializable;

/**
 * A cap on each unit's value of a mean metric (winsorization from above): a unit whose value
 * exceeds it counts as the cap, so one unit's $50,000 order cannot decide a revenue test. Each unit
 * keeps its true value; the sums the analysis reads are of the capped values, exactly.
 *
 * @param value the fixed cap
 * @param percentile a cap at that percentile of the pooled distribution (API.md "Additions"; not
 *     yet accepted by the API)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricCap(Double value, Double percentile) implements CborSerializable {

  public static MetricCap fixed(double value) {
    return new MetricCap(value, null);
  }

  /** The unit's value as the sums count it. */
  public double apply(double unitValue) {
    return value != null && unitValue > value ? value : unitValue;
  }

  /** No cap at all: every value counts as it is. */
  @JsonIgnore
  public boolean isNone() {
    return value == null && percentile == null;
  }
}
