package org.abtest.protocol.experiment;

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
 * @param cap optional, mean metrics only: each unit's value counts at most this much
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricDefinition(
    String key,
    String event,
    MetricKind kind,
    Integer attributionWindowHours,
    List<String> steps,
    MetricCap cap)
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
    this(key, event, kind, attributionWindowHours, null, null);
  }

  public MetricDefinition(
      String key,
      String event,
      MetricKind kind,
      Integer attributionWindowHours,
      List<String> steps) {
    this(key, event, kind, attributionWindowHours, steps, null);
  }

  /** The unit's value as the sums count it: capped when the metric has a cap. */
  public double counted(double unitValue) {
    return cap == null ? unitValue : cap.apply(unitValue);
  }
}
