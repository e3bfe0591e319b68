package org.abtest.georeplication;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.Lifecycle;

/**
 * Which experiments' {@code startAt}/{@code endAt} have come: a draft whose start has come starts
 * (unless its end has passed too), a live experiment whose end has come concludes; and which layer
 * ranges ended experiments still hold. Pure; the manifest publisher, which sees every experiment of
 * the region, runs it on a timer, so schedules survive passivation and restarts without a timer per
 * entity.
 */
public final class ExperimentScheduler {

  public record Due(String key, Lifecycle action) {}

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
