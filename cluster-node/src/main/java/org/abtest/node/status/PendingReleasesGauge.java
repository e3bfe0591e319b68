package org.abtest.node.status;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import org.abtest.georeplication.ManifestPublisher;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Layer ranges that ended experiments still hold, as the region's manifest publisher (a singleton)
 * sees them, read on a timer so that every node's scrape shows the region's number. A value that
 * stays above 0 means the layers' home region is not releasing (down, or its journal failing).
 */
public final class PendingReleasesGauge {

  public static final String PENDING = "abtest_layer_releases_pending";
  public static final String OLDEST = "abtest_layer_release_oldest_pending_seconds";

  private PendingReleasesGauge() {}

  public static void start(
      ActorSystem<?> system,
      ActorRef<ManifestPublisher.Command> publisher,
      Duration interval,
      Duration timeout,
      Clock clock,
      PrometheusRegistry registry) {
    Gauge pending =
        Gauge.builder()
            .name(PENDING)
            .help("Layer ranges held by concluded or killed experiments, not yet released")
            .register(registry);
    Gauge oldest =
        Gauge.builder()
            .name(OLDEST)
            .help("Seconds the oldest pending layer release has waited (0 when none)")
            .register(registry);
    // The last answer stays when the publisher does not answer in time (it is moving nodes).
    Runnable poll =
        () ->
            AskPattern.<ManifestPublisher.Command, ManifestPublisher.PendingReleases>ask(
                    publisher,
                    ManifestPublisher.ListPendingReleases::new,
                    timeout,
                    system.scheduler())
                .thenAccept(
                    answer -> {
                      pending.set(answer.releases().size());
                      oldest.set(
                          answer.releases().stream()
                              .mapToLong(
                                  r -> Duration.between(r.since(), clock.instant()).toSeconds())
                              .max()
                              .orElse(0));
                    });
    system.scheduler().scheduleWithFixedDelay(interval, interval, poll, system.executionContext());
  }
}
