package org.abtest.georeplication;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.experiment.Experiment;
import org.slf4j.Logger;

/**
 * What the manifest publisher does on its schedule tick, given the region's experiments and layers
 * as of the journal: due starts and stops go to the {@link ManifestPublisher.ScheduleRunner} (each
 * at most once per {@link #RESCHEDULE_AFTER}, so a slow entity is not asked again every second),
 * and the {@link SlotReleaser} frees what ended experiments still hold.
 */
final class ScheduleDispatch {

  static final Duration RESCHEDULE_AFTER = Duration.ofSeconds(10);

  private final ManifestPublisher.ScheduleRunner runner;
  private final SlotReleaser releaser;
  private final Logger log;
  private final Map<String, Instant> sent = new HashMap<>();

  ScheduleDispatch(
      ManifestPublisher.Settings settings, ManifestPublisher.ScheduleRunner runner, Logger log) {
    this.runner = runner;
    this.releaser = new SlotReleaser(settings, runner, log);
    this.log = log;
  }

  void tick(
      List<Experiment> experiments,
      Collection<ExperimentState> states,
      Collection<LayerState> layers,
      Instant now) {
    // Entries only throttle resends; once old enough to resend they may go (the map stays small).
    sent.values().removeIf(at -> at.plus(RESCHEDULE_AFTER).isBefore(now));
    for (ExperimentScheduler.Due due : ExperimentScheduler.due(experiments, now)) {
      if (sent.putIfAbsent(due.key() + "/" + due.action(), now) == null) {
        log.info("scheduled {} of experiment '{}'", due.action(), due.key());
        runner.run(due);
      }
    }
    for (ExperimentScheduler.Advance step : ExperimentScheduler.rampsDue(states, now)) {
      if (sent.putIfAbsent(step.key() + "/ramp/" + step.coverage(), now) == null) {
        log.info(
            "ramp of experiment '{}': coverage {} → {}",
            step.key(),
            step.fromCoverage(),
            step.coverage());
        runner.advance(step);
      }
    }
    releases(experiments, layers, now);
  }

  /** Frees what ended experiments still hold (also at once when an end is seen). */
  void releases(List<Experiment> experiments, Collection<LayerState> layers, Instant now) {
    releaser.sweep(experiments, layers, now);
  }

  ManifestPublisher.PendingReleases pending() {
    return new ManifestPublisher.PendingReleases(releaser.home(), releaser.pending());
  }
}
