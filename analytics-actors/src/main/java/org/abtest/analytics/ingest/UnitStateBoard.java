package org.abtest.analytics.ingest;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.abtest.analytics.pressure.MemoryBudget;
import org.abtest.analytics.units.StateUsage;

/**
 * The latest {@link StateUsage} of each partition this node owns, reported by the unit-state actors
 * on their publish tick (a few hundred ms old at most), read by the Prometheus gauges; and the
 * node's unit-state budget: the bytes of every owned partition's state together, against {@code
 * abtest.aggregation.state-budget} (a share of the heap). Registered with the node's memory
 * pressure, it sheds events at the edge and slows the consumer before the heap runs out, whatever
 * the number of partitions the node owns.
 */
public final class UnitStateBoard implements MemoryBudget {

  private static final String[] STRUCTURES = {"units", "held", "dedup", "covariate"};

  private final Map<Integer, StateUsage> partitions = new ConcurrentHashMap<>();
  private final long budgetBytes;

  public UnitStateBoard(long budgetBytes) {
    if (budgetBytes <= 0) {
      throw new IllegalArgumentException("state-budget must be positive, was " + budgetBytes);
    }
    this.budgetBytes = budgetBytes;
  }

  void report(int partition, StateUsage usage) {
    partitions.put(partition, usage);
  }

  /**
   * Removes the partition's entry if it is still {@code last} (a newer owner may have reported).
   */
  void forget(int partition, StateUsage last) {
    if (last != null) {
      partitions.remove(partition, last);
    }
  }

  @Override
  public String name() {
    return "unit-state";
  }

  /** A walk over the owned partitions' last reports: a few dozen entries, not the state itself. */
  @Override
  public long usedBytes() {
    long used = 0;
    for (StateUsage usage : partitions.values()) {
      used += usage.totalBytes();
    }
    return used;
  }

  @Override
  public long limitBytes() {
    return budgetBytes;
  }

  /** The largest share of an entry cap in use in any partition (1.0 = at it; 0 = none). */
  public double capPressure() {
    return partitions.values().stream().mapToDouble(StateUsage::capPressure).max().orElse(0);
  }

  /** The partitions' usage, as last reported. */
  public Map<Integer, StateUsage> usage() {
    return Map.copyOf(partitions);
  }

  /**
   * Registers the {@code abtest_unit_state_*} metrics; {@code board} is null until the ingestion
   * runs (the gauges are then empty).
   */
  public static void register(PrometheusRegistry registry, Supplier<UnitStateBoard> board) {
    GaugeWithCallback.builder()
        .name("abtest_unit_state_bytes")
        .help("Heap bytes of a partition's unit state, per structure (arrays as allocated)")
        .labelNames("partition", "structure")
        .callback(
            cb ->
                each(
                    board,
                    (p, u) -> {
                      long[] bytes = {
                        u.unitBytes(), u.heldBytes(), u.dedupBytes(), u.covariateBytes()
                      };
                      for (int i = 0; i < STRUCTURES.length; i++) {
                        cb.call(bytes[i], p, STRUCTURES[i]);
                      }
                    }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("abtest_unit_state_budget_bytes")
        .help(
            "The node's unit-state budget (abtest.aggregation.state-budget): every owned"
                + " partition's state together, bytes")
        .callback(
            cb -> {
              UnitStateBoard b = board.get();
              if (b != null) {
                cb.call(b.budgetBytes);
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("abtest_unit_state_entries")
        .help(
            "Entries of a partition's unit state: unit x experiment phases, held events, ids, history")
        .labelNames("partition", "structure")
        .callback(
            cb ->
                each(
                    board,
                    (p, u) -> {
                      long[] n = {
                        u.unitEntries(), u.heldEvents(), u.dedupIds(), u.covariateEntries()
                      };
                      for (int i = 0; i < STRUCTURES.length; i++) {
                        cb.call(n[i], p, STRUCTURES[i]);
                      }
                    }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("abtest_unit_state_cap_pressure")
        .help("Largest share of an entry cap in use in a partition's unit state (1 = at it)")
        .labelNames("partition")
        .callback(cb -> each(board, (p, u) -> cb.call(u.capPressure(), p)))
        .register(registry);
    CounterWithCallback.builder()
        .name("abtest_unit_state_refused")
        .help("What a bound of the unit state turned away, by reason, since the partition started")
        .labelNames("partition", "reason")
        .callback(
            cb ->
                each(
                    board,
                    (p, u) -> {
                      var r = u.refusals();
                      cb.call(r.exposures(), p, "unit_cap");
                      cb.call(r.heldEvicted(), p, "held_evicted");
                      cb.call(r.heldRefused(), p, "held_type_table_full");
                      cb.call(r.covariateFuture(), p, "covariate_future_ts");
                      cb.call(r.covariateRefused(), p, "covariate_cap");
                    }))
        .register(registry);
  }

  private interface PerPartition {
    void accept(String partition, StateUsage usage);
  }

  private static void each(Supplier<UnitStateBoard> board, PerPartition action) {
    UnitStateBoard b = board.get();
    if (b != null) {
      b.partitions.forEach((p, u) -> action.accept(Integer.toString(p), u));
    }
  }
}
