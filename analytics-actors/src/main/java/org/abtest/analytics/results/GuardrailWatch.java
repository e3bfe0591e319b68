package org.abtest.analytics.results;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.results.ResultsDocument.GuardrailResult;
import org.abtest.protocol.experiment.BuiltInMetrics;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentStatus;

/**
 * Which guardrails of a running experiment its totals violate, at most once per {@link
 * #RESEND_AFTER} each: the experiment aggregator asks at every change of its totals and hands each
 * violation to a {@link Sink}, which acts (a kill or pause through the experiment entity, refused
 * there once done) or alerts. Bounded: one entry per guardrail of the one experiment.
 */
public final class GuardrailWatch {

  /** A violation not acted on yet (the action went missing) is handed on again after this. */
  public static final Duration RESEND_AFTER = Duration.ofSeconds(10);

  /** Where violations go: carried out by the node. */
  public interface Sink {
    void violated(Experiment experiment, GuardrailResult guardrail);
  }

  private final Map<String, Instant> sent = new HashMap<>();

  /**
   * The violated guardrails of {@code definition} at these totals (of its current phase) that were
   * not handed on within {@link #RESEND_AFTER}; none unless it is running.
   */
  public List<GuardrailResult> due(Experiment definition, ExperimentTotals totals, Instant now) {
    if (definition == null
        || definition.status() != ExperimentStatus.RUNNING
        || definition.guardrails().isEmpty()
        || totals == null
        || totals.phase() != definition.phase()) {
      return List.of();
    }
    List<GuardrailResult> due = new ArrayList<>();
    for (GuardrailResult g : ResultsBuilder.guardrails(definition, totals)) {
      if (!g.status().equals(GuardrailCheck.VIOLATED)) {
        continue;
      }
      String key = definition.phase() + "/" + g.metric();
      Instant last = sent.get(key);
      if (last == null || !now.isBefore(last.plus(RESEND_AFTER))) {
        sent.put(key, now);
        due.add(g);
      }
    }
    return due;
  }

  /** Why, for the audit trail: the guardrail and the evidence. */
  public static String reason(GuardrailResult g) {
    if (g.metric().equals(BuiltInMetrics.SRM)) {
      StringBuilder s = new StringBuilder("guardrail on srm violated (sample ratio mismatch:");
      for (ResultsDocument.GuardrailArm arm : g.variants()) {
        s.append(' ').append(arm.variant()).append(" share off by ").append(arm.diff());
      }
      return s.append(')').toString();
    }
    StringBuilder s =
        new StringBuilder("guardrail on ")
            .append(g.metric())
            .append(" violated (harmful ")
            .append(g.direction())
            .append(", tolerated change ")
            .append(g.threshold())
            .append(')');
    for (ResultsDocument.GuardrailArm arm : g.variants()) {
      if (arm.status().equals(GuardrailCheck.VIOLATED)) {
        s.append(": ")
            .append(arm.variant())
            .append(" differs by ")
            .append(arm.diff())
            .append(", confidence sequence [")
            .append(arm.csLow())
            .append(", ")
            .append(arm.csHigh())
            .append(']');
      }
    }
    return s.toString();
  }
}
