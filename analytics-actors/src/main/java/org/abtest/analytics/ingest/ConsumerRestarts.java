package org.abtest.analytics.ingest;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The events consumer's stream, started again with exponential backoff after a failure. Every start
 * but the first is told to {@code onRestart} before the new stream starts, so that it resumes every
 * partition from its snapshot, never with the old actors.
 */
final class ConsumerRestarts {

  private ConsumerRestarts() {}

  static <T> Source<T, NotUsed> withBackoff(
      IngestionSettings.Restart backoff, Supplier<Source<T, ?>> start, Runnable onRestart) {
    RestartSettings restart =
        RestartSettings.create(backoff.minBackoff(), backoff.maxBackoff(), backoff.randomFactor());
    AtomicLong starts = new AtomicLong();
    return RestartSource.onFailuresWithBackoff(
        restart,
        () -> {
          if (starts.getAndIncrement() > 0) {
            onRestart.run();
          }
          return start.get();
        });
  }
}
