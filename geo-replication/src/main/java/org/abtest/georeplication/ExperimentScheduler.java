package org.abtest.georeplication;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.RampPlan;

/**
 * Which experiments' {@code startAt}/{@code endAt} have come: a draft whose start has come starts
 * (unless its end has passed too), a live experiment whose end has come concludes; which ramps are
 * due to widen ({@link RampPlan}); and which layer ranges ended experiments still hold. Pure; the
 * manifest publisher, which sees every experiment of the region, runs it on a timer, so schedules
 * survive passivation and restarts without a timer per entity.
 */
public final class ExperimentScheduler {

  public record Due(String key, Lifecycle action) {}

  /**
   * A ramp's next step has come: the coverage goes to {@code coverage}, if the experiment is still
   * at {@code expectedVersion} (a change made meanwhile wins, and the next tick looks again).
   */
  public record Advance(String key, long expectedVersion, int fromCoverage, int coverage) {}

  /** A layer range still held by an experiment that has ended: it goes back to the layer. */
  public record Release(String layer, String owner) {}

  private ExperimentScheduler() {}

  public static List<Due> due(List<Experiment> experiments, Instant now) {
    List<Due> due = new ArrayList<>();
    for (Experiment e : experiments) {
      boolean ended = e.endAt() != null && !e.endAt().isAfter(now);
      if (e.status() == ExperimentStatus.DRAFT
          && e.startAt() != null
          && !e.startAt().isAfter(now)
          && !ended) {
        due.add(new Due(e.key(), Lifecycle.START));
      } else if ((e.status() == ExperimentStatus.RUNNING || e.status() == ExperimentStatus.PAUSED)
          && ended) {
        due.add(new Due(e.key(), Lifecycle.CONCLUDE));
      }
    }
    return due;
  }

  /**
   * Running experiments whose ramp has stayed at its current step for the step's minutes of running
   * time: the time counts from the later of the write that set the coverage and the one that made
   * the experiment RUNNING (a pause stops the clock, a resume starts the step's time again). Both
   * are journal stamps, the same in every region.
   */
  public static List<Advance> rampsDue(Collection<ExperimentState> states, Instant now) {
    List<Advance> due = new ArrayList<>();
    for (ExperimentState s : states) {
      if (!s.exists() || s.status() != ExperimentStatus.RUNNING) {
        continue;
      }
      Experiment e = s.experiment();
      RampPlan plan = e.rampPlan();
      if (plan == null || e.rampHalted() != null) {
        continue; // no plan, or a guardrail halted it (RampHalt)
      }
      int at = plan.stepAt(e.coverage());
      if (at < 0 || at + 1 >= plan.steps().size()) {
        continue; // the last step (or a coverage set off the plan by a concurrent write)
      }
      Stamp coverageSet = s.fieldStamps().get(ExperimentField.COVERAGE.jsonName());
      long since =
          Math.max(
              coverageSet == null ? 0 : coverageSet.millis(),
              s.statusStamp() == null ? 0 : s.statusStamp().millis());
      long stayMillis = plan.steps().get(at).minutes() * 60_000L;
      if (now.toEpochMilli() >= since + stayMillis) {
        due.add(
            new Advance(e.key(), e.version(), e.coverage(), plan.steps().get(at + 1).coverage()));
      }
    }
    return due;
  }

  /**
   * Ranges held by concluded or killed experiments. However an experiment ended (a conclude or kill
   * in any region, a scheduled conclusion, a release that was lost), its range is freed from here
   * ({@link SlotReleaser}): the one place that decides a release.
   */
  public static List<Release> stranded(
      List<Experiment> experiments, Collection<LayerState> layers) {
    Map<String, ExperimentStatus> status = new HashMap<>();
    for (Experiment e : experiments) {
      status.put(e.key(), e.status());
    }
    List<Release> stranded = new ArrayList<>();
    for (LayerState layer : layers) {
      for (String owner : layer.allocations().keySet()) {
        boolean holdout =
            layer.key().equals(LayerEntity.GLOBAL) && owner.equals(LayerState.HOLDOUT_OWNER);
        ExperimentStatus s = status.get(owner);
        if (!holdout && s != null && Lifecycle.terminal(s)) {
          stranded.add(new Release(layer.key(), owner));
        }
      }
    }
    return stranded;
  }
}
