package org.abtest.protocol.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.abtest.protocol.CborSerializable;

/**
 * One side of a ratio metric: the event type that feeds it and how a unit's events add up.
 *
 * @param aggregate {@code sum} of the events' values, or {@code count} of the events
 */
public record MetricSource(String event, Aggregate aggregate) implements CborSerializable {

  public enum Aggregate {
    @JsonProperty("sum")
    SUM,
    @JsonProperty("count")
    COUNT
  }

  /** What one event of this side adds to the unit's value. */
  public double contribution(double eventValue) {
    return aggregate == Aggregate.COUNT ? 1.0 : eventValue;
  }
}
