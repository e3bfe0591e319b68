package org.abtest.protocol.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import org.abtest.protocol.experiment.Environments;

/**
 * An exposure or a metric event as it travels through Kafka (DESIGN.md §4). Exposures carry {@code
 * experiment} and {@code variant}; metric events carry {@code event} and {@code value}. {@code
 * environment}: the environment of the SDK key that sent or caused it, stamped by the edge; null
 * for the default environment (production), as every event written before environments existed.
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
    JsonNode attributes,
    String environment) {

  public TrackedEvent {
    environment = Environments.DEFAULT.equals(environment) ? null : environment;
  }

  /** An event of the default environment. */
  public TrackedEvent(
      String eventId,
      String type,
      String unit,
      String experiment,
      String variant,
      String event,
      Double value,
      Instant ts,
      JsonNode attributes) {
    this(eventId, type, unit, experiment, variant, event, value, ts, attributes, null);
  }

  /** The same event, sent in {@code environmentName} (the default one: none). */
  public TrackedEvent inEnvironment(String environmentName) {
    String named = Environments.DEFAULT.equals(environmentName) ? null : environmentName;
    if (Objects.equals(named, environment)) {
      return this; // every production event on the hot path: no copy
    }
    return new TrackedEvent(
        eventId, type, unit, experiment, variant, event, value, ts, attributes, environmentName);
  }

  /** Whether it belongs to the default environment, whose results the experiment's are. */
  @JsonIgnore
  public boolean inDefaultEnvironment() {
    return environment == null;
  }

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
