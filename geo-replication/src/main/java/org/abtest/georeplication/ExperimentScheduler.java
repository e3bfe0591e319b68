package org.abtest.georeplication;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentStatus;

/**
 * Which experiments' {@code startAt}/{@code endAt} have come: a draft whose start has come starts
 * (unless its end has passed too), a live experiment whose end has come concludes. Pure; the
 * manifest publisher, which sees every experiment of the region, runs it on a timer, so schedules
 * survive passivation and restarts without a timer per entity.
 */
public final class ExperimentScheduler {

  public record Due(String key, Lifecycle action) {}

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
}
