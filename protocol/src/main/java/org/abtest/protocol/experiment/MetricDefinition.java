package org.abtest.protocol.experiment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.abtest.protocol.CborSerializable;

/**
 * A metric of an experiment: which event type feeds it, how a unit's value is formed, and for how
 * long after a unit's first exposure its events count (null: until the experiment ends).
 *
 * @param steps optional funnel: ordered event types a unit must reach one after the other inside
 *     the attribution window. A funnel metric is a proportion metric of its last step (its {@code
 *     event} defaults to that step), and results also show per variant the units reaching each
 *     step.
 * @param cap optional, mean and ratio metrics: each unit's value (a ratio's numerator) counts at
 *     most this much
 * @param numerator ratio metrics only (then {@code event} is null): the per-unit numerator
 * @param denominator ratio metrics only: the per-unit denominator
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricDefinition(
    String key,
    String event,
    MetricKind kind,
    Integer attributionWindowHours,
    List<String> steps,
    MetricCap cap,
    MetricSource numerator,
    MetricSource denominator)
    implements CborSerializable {

  public MetricDefinition {
    cap = cap == null || cap.isNone() ? null : cap;
    steps = steps == null || steps.isEmpty() ? null : List.copyOf(steps);
    if (event == null && steps != null) {
      event = steps.get(steps.size() - 1);
    }
    if (kind == null && steps != null) {
      kind = MetricKind.PROPORTION;
    }
  }

  public MetricDefinition(
      String key, String event, MetricKind kind, Integer attributionWindowHours) {
    this(key, event, kind, attributionWindowHours, null, null, null, null);
  }

  public MetricDefinition(
      String key,
      String event,
      MetricKind kind,
      Integer attributionWindowHours,
      List<String> steps) {
    this(key, event, kind, attributionWindowHours, steps, null, null, null);
  }

  public MetricDefinition(
      String key,
      String event,
      MetricKind kind,
      Integer attributionWindowHours,
      List<String> steps,
      MetricCap cap) {
    this(key, event, kind, attributionWindowHours, steps, cap, null, null);
  }

  /** A ratio metric: Σnumerator / Σdenominator per variant, the unit still the unit of analysis. */
  public static MetricDefinition ratio(
      String key,
      MetricSource numerator,
      MetricSource denominator,
      Integer attributionWindowHours,
      MetricCap cap) {
    return new MetricDefinition(
        key, null, MetricKind.RATIO, attributionWindowHours, null, cap, numerator, denominator);
  }

  /** A ratio metric, whose units carry a denominator beside their value (not a JSON field). */
  @JsonIgnore
  public boolean isRatio() {
    return kind == MetricKind.RATIO;
  }

  /** Whether events of this type feed the metric (its event, or either side of a ratio). */
  public boolean reads(String eventType) {
    return isRatio()
        ? numerator.event().equals(eventType) || denominator.event().equals(eventType)
        : event.equals(eventType);
  }

  /** The event types that feed the metric: one, or a ratio's two (once when they are the same). */
  public List<String> events() {
    if (!isRatio()) {
      return List.of(event);
    }
    return numerator.event().equals(denominator.event())
        ? List.of(numerator.event())
        : List.of(numerator.event(), denominator.event());
  }

  /** The unit's value as the sums count it: capped when the metric has a cap. */
  public double counted(double unitValue) {
    return cap == null ? unitValue : cap.apply(unitValue);
  }
}
