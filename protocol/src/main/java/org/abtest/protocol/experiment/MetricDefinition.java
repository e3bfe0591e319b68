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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricDefinition(
    String key, String event, MetricKind kind, Integer attributionWindowHours, List<String> steps)
    implements CborSerializable {

  public MetricDefinition {
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
    this(key, event, kind, attributionWindowHours, null);
  }
}
