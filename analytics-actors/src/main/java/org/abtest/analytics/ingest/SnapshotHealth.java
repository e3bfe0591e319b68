package org.abtest.analytics.ingest;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What snapshot housekeeping and restores did on this node: chunk sets deleted (of failed writes,
 * and orphans the start sweep found), rebuilds by kind, and the partitions refused now (with why).
 * The refused map holds at most one entry per partition of the topic.
 */
public final class SnapshotHealth {

  private final AtomicLong failedCleaned = new AtomicLong();
  private final AtomicLong orphansCleaned = new AtomicLong();
  private final AtomicLong exactRebuilds = new AtomicLong();
  private final AtomicLong lossyRebuilds = new AtomicLong();
  private final AtomicLong lostOffsets = new AtomicLong();
  private final Map<Integer, String> refused = new ConcurrentHashMap<>();

  void cleanedFailed() {
    failedCleaned.incrementAndGet();
  }

  void cleanedOrphan() {
    orphansCleaned.incrementAndGet();
  }

  /** Records a restore's outcome for {@code partition}; any earlier refusal of it ends. */
  void restored(int partition, RestoreDecision decision) {
    switch (decision.action()) {
      case REFUSE -> refused.put(partition, decision.reason());
      case REBUILD_EXACT -> exactRebuilds.incrementAndGet();
      case REBUILD_LOSSY -> {
        lossyRebuilds.incrementAndGet();
        lostOffsets.addAndGet(decision.lost());
      }
      default -> {}
    }
    if (decision.action() != RestoreDecision.Action.REFUSE) {
      refused.remove(partition);
    }
  }

  /** The partition is no longer this node's (revoked): its refusal is the next owner's to say. */
  void released(int partition) {
    refused.remove(partition);
  }

  /** Partitions this node refuses to consume, with the reason (for /health/ready). */
  public Map<Integer, String> refused() {
    return Map.copyOf(refused);
  }

  public long failedChunkSetsCleaned() {
    return failedCleaned.get();
  }

  public long orphanChunkSetsCleaned() {
    return orphansCleaned.get();
  }

  /** Registers the snapshot metrics; {@code health} is null until the ingestion runs. */
  public static void register(PrometheusRegistry registry, Supplier<SnapshotHealth> health) {
    CounterWithCallback.builder()
        .name("abtest_unit_state_snapshot_cleanups")
        .help("Chunk sets of unit-state snapshots deleted: of a failed write, or orphans swept")
        .labelNames("cause")
        .callback(
            cb -> {
              SnapshotHealth h = health.get();
              if (h != null) {
                cb.call(h.failedCleaned.get(), "failed_write");
                cb.call(h.orphansCleaned.get(), "orphan");
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("abtest_unit_state_rebuilds")
        .help("Partitions whose unreadable snapshot was rebuilt: exact (log from 0) or lossy")
        .labelNames("kind")
        .callback(
            cb -> {
              SnapshotHealth h = health.get();
              if (h != null) {
                cb.call(h.exactRebuilds.get(), "exact");
                cb.call(h.lossyRebuilds.get(), "lossy");
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("abtest_unit_state_rebuild_lost_offsets")
        .help("Log offsets that lossy rebuilds never saw (deleted by retention before them)")
        .callback(
            cb -> {
              SnapshotHealth h = health.get();
              cb.call(h == null ? 0 : h.lostOffsets.get());
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("abtest_unit_state_rebuild_refused")
        .help("1 for each partition this node refuses to consume (see docs/operations.md)")
        .labelNames("partition")
        .callback(
            cb -> {
              SnapshotHealth h = health.get();
              if (h != null) {
                h.refused.keySet().forEach(p -> cb.call(1, Integer.toString(p)));
              }
            })
        .register(registry);
  }
}
