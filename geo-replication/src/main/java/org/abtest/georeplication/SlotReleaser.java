package org.abtest.georeplication;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.abtest.protocol.experiment.Experiment;
import org.slf4j.Logger;

/**
 * Frees the layer ranges that ended experiments still hold, whichever way they ended (conclude,
 * kill, a scheduled conclusion, a paused experiment concluded, an end written in another region):
 * docs/decisions.md §23. The home region sends {@code Release} to the layer and resends it with
 * backoff until the layer's journal shows the range free; any other region only reports the wait,
 * because its conclude or kill reaches the home region as a replicated event of the experiment.
 * Used by the manifest publisher, which knows every experiment and layer of the region.
 */
final class SlotReleaser {

  private final ManifestPublisher.Settings settings;
  private final ManifestPublisher.ScheduleRunner runner;
  private final Logger log;
  private SlotReleases releases = SlotReleases.NONE;

  SlotReleaser(
      ManifestPublisher.Settings settings, ManifestPublisher.ScheduleRunner runner, Logger log) {
    this.settings = settings;
    this.runner = runner;
    this.log = log;
  }

  boolean home() {
    return settings.layerHome().equals(settings.region());
  }

  List<ManifestPublisher.PendingRelease> pending() {
    return releases.pending().entrySet().stream()
        .map(
            e ->
                new ManifestPublisher.PendingRelease(
                    e.getKey().layer(),
                    e.getKey().owner(),
                    e.getValue().since(),
                    e.getValue().attempts()))
        .sorted(
            Comparator.comparing(ManifestPublisher.PendingRelease::layer)
                .thenComparing(ManifestPublisher.PendingRelease::owner))
        .toList();
  }

  void sweep(List<Experiment> experiments, Collection<LayerState> layers, Instant now) {
    var step =
        releases.advance(
            ExperimentScheduler.stranded(experiments, layers), now, settings.releaseRetry());
    releases = step.next();
    step.acknowledged()
        .forEach(
            (r, p) ->
                log.info(
                    "layer '{}' range of ended '{}' is free (after {} attempt(s) since {})",
                    r.layer(),
                    r.owner(),
                    p.attempts(),
                    p.since()));
    for (SlotReleases.Attempt attempt : step.due()) {
      act(attempt);
    }
  }

  private void act(SlotReleases.Attempt attempt) {
    var r = attempt.release();
    if (!home()) {
      if (attempt.retry()) {
        log.warn(
            "layer '{}' range of ended '{}' still waits for home region '{}' (pending since {})",
            r.layer(),
            r.owner(),
            settings.layerHome(),
            attempt.since());
      } else {
        log.info(
            "layer '{}' range of ended '{}' is left to home region '{}' to release",
            r.layer(),
            r.owner(),
            settings.layerHome());
      }
      return;
    }
    if (attempt.retry()) {
      log.warn(
          "retrying release of layer '{}' range of ended '{}' (attempt {}, pending since {})",
          r.layer(),
          r.owner(),
          attempt.attempt(),
          attempt.since());
    } else {
      log.info("releasing layer '{}' range of ended '{}'", r.layer(), r.owner());
    }
    runner.release(r);
  }
}
