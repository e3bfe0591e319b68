package org.abtest.protocol.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An exposure or a metric event as it travels through Kafka (DESIGN.md §4). Exposures carry {@code
 * experiment} and {@code variant}; metric events carry {@code event} and {@code value}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrackedEvent(
    String eventId,
    String type,
    String unit,
    String experiment,
    String variant,
    String event,
    Double value,
    Instant ts,
    JsonNode attributes) {

  public static final String EXPOSURE = "exposure";
  public static final String METRIC = "metric";

  @JsonIgnore
  public boolean isExposure() {
    return EXPOSURE.equals(type);
  }

  public static TrackedEvent exposure(
      String eventId, String unit, String experiment, String variant, Instant ts) {
    return new TrackedEvent(eventId, EXPOSURE, unit, experiment, variant, null, null, ts, null);
  }
}
