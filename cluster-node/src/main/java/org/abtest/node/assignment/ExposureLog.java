package org.abtest.node.assignment;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.abtest.analytics.ingest.EventPublisher;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.Environments;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exposures logged by assignment requests travel to Kafka through a bounded buffer. Offering never
 * blocks the request: when the buffer is full the exposure is dropped and counted in /metrics.
 */
public final class ExposureLog {

  private static final Logger log = LoggerFactory.getLogger(ExposureLog.class);

  private final BoundedSourceQueue<TrackedEvent> queue;
  private final Counter dropped;
  private final Counter failed;

  public record Settings(int bufferSize, int batchSize, Duration batchWindow) {}

  public ExposureLog(
      ActorSystem<?> system,
      EventPublisher publisher,
      Settings settings,
      PrometheusRegistry registry) {
    this.dropped =
        Counter.builder()
            .name("abtest_exposures_dropped_total")
            .help("Exposures dropped because the exposure buffer was full")
            .register(registry);
    this.failed =
        Counter.builder()
            .name("abtest_exposures_failed_total")
            .help("Exposures that Kafka did not acknowledge")
            .register(registry);
    this.queue =
        Source.<TrackedEvent>queue(settings.bufferSize())
            .groupedWithin(settings.batchSize(), settings.batchWindow())
            .mapAsync(
                2,
                batch ->
                    publisher
                        .publish(batch)
                        .handle(
                            (done, error) -> {
                              if (error != null) {
                                failed.inc(batch.size());
                                log.warn(
                                    "{} exposures not logged: {}", batch.size(), error.toString());
                              }
                              return batch.size();
                            }))
            .to(Sink.ignore())
            .run(system);
  }

  /** In the default environment. */
  public void log(String unit, List<Assignment> assignments, Instant now) {
    log(Environments.DEFAULT, unit, assignments, now);
  }

  /** Each assignment as an exposure of {@code environment}, the assigning SDK key's. */
  public void log(String environment, String unit, List<Assignment> assignments, Instant now) {
    for (Assignment assignment : assignments) {
      if (assignment.shipped()) {
        continue; // a shipped variant is served, not tested: its results are frozen
      }
      TrackedEvent exposure =
          TrackedEvent.exposure(
                  UUID.randomUUID().toString(),
                  unit,
                  assignment.experiment(),
                  assignment.variant(),
                  now)
              .inEnvironment(environment);
      if (queue.offer(exposure) != QueueOfferResult.enqueued()) {
        dropped.inc();
      }
    }
  }
}
