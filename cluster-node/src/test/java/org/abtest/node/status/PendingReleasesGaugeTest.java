package org.abtest.node.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.abtest.georeplication.ManifestPublisher;
import org.abtest.georeplication.ManifestPublisher.PendingRelease;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every node's scrape shows the region's pending layer releases, as the publisher lists them. */
class PendingReleasesGaugeTest {

  private static final ActorTestKit kit = ActorTestKit.create();
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  private static double value(PrometheusRegistry registry, String name) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getName().equals(name))
        .map(m -> ((GaugeSnapshot) m).getDataPoints().get(0).getValue())
        .findFirst()
        .orElse(-1.0);
  }

  @Test
  void theGaugesCountPendingReleasesAndTheOldestWaitAndDropToZeroOnceReleased() {
    AtomicReference<List<PendingRelease>> pending =
        new AtomicReference<>(
            List.of(
                new PendingRelease("checkout", "a", NOW.minusSeconds(90), 3),
                new PendingRelease("checkout", "b", NOW.minusSeconds(5), 1)));
    var publisher =
        kit.spawn(
            Behaviors.receive(ManifestPublisher.Command.class)
                .onMessage(
                    ManifestPublisher.ListPendingReleases.class,
                    list -> {
                      list.replyTo()
                          .tell(new ManifestPublisher.PendingReleases(false, pending.get()));
                      return Behaviors.same();
                    })
                .build());
    PrometheusRegistry registry = new PrometheusRegistry();
    PendingReleasesGauge.start(
        kit.system(),
        publisher,
        Duration.ofMillis(50),
        Duration.ofSeconds(1),
        Clock.fixed(NOW, ZoneOffset.UTC),
        registry);
    var probe = kit.createTestProbe();
    probe.awaitAssert(
        Duration.ofSeconds(5),
        () -> {
          assertThat(value(registry, PendingReleasesGauge.PENDING)).isEqualTo(2.0);
          assertThat(value(registry, PendingReleasesGauge.OLDEST)).isEqualTo(90.0);
          return null;
        });
    pending.set(List.of());
    probe.awaitAssert(
        Duration.ofSeconds(5),
        () -> {
          assertThat(value(registry, PendingReleasesGauge.PENDING)).isZero();
          assertThat(value(registry, PendingReleasesGauge.OLDEST)).isZero();
          return null;
        });
  }
}
