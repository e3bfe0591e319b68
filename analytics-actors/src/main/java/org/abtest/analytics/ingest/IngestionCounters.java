package org.abtest.analytics.ingest;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the events consumer stream went through since the node started: restarts of the whole stream
 * (each one a new consumer joining the group, so another rebalance for every member) and batches
 * that were in flight when their partition was revoked or reassigned, and were dropped because the
 * partition's next owner re-reads them from its snapshot's offset; and the time batches waited for
 * memory pressure to fall.
 */
public final class IngestionCounters {

  private final AtomicLong streamRestarts = new AtomicLong();
  private final AtomicLong staleBatches = new AtomicLong();
  private final AtomicLong pausedNanos = new AtomicLong();

  long streamRestarted() {
    return streamRestarts.incrementAndGet();
  }

  void staleBatchDropped() {
    staleBatches.incrementAndGet();
  }

  void paused(Duration wait) {
    pausedNanos.addAndGet(wait.toNanos());
  }

  /** Time batches spent waiting for memory pressure to fall (summed over partitions). */
  public double pausedSeconds() {
    return pausedNanos.get() / 1e9;
  }

  public long streamRestarts() {
    return streamRestarts.get();
  }

  public long staleBatches() {
    return staleBatches.get();
  }

  /**
   * {@code abtest_ingestion_stream_restarts_total} and {@code
   * abtest_ingestion_stale_batches_total}, {@code abtest_ingestion_paused_seconds_total}.
   */
  public static void register(PrometheusRegistry registry, Supplier<IngestionCounters> counters) {
    CounterWithCallback.builder()
        .name("abtest_ingestion_stream_restarts")
        .help("Restarts of the events consumer stream after a failure (each is a rebalance)")
        .callback(
            cb -> {
              IngestionCounters c = counters.get();
              cb.call(c == null ? 0 : c.streamRestarts());
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("abtest_ingestion_stale_batches")
        .help("Batches in flight at a partition's revoke or reassignment, left to its next owner")
        .callback(
            cb -> {
              IngestionCounters c = counters.get();
              cb.call(c == null ? 0 : c.staleBatches());
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("abtest_ingestion_paused_seconds")
        .help(
            "Seconds batches waited for memory pressure to fall below"
                + " abtest.events.shed.consumer-pause-at (summed over partitions)")
        .callback(
            cb -> {
              IngestionCounters c = counters.get();
              cb.call(c == null ? 0 : c.pausedSeconds());
            })
        .register(registry);
  }
}
