package org.abtest.analytics.units;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.MetricSums;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.Environments;
import org.abtest.protocol.experiment.MetricKind;

/**
 * All unit state of one Kafka partition, and its partial totals per experiment phase: the pure core
 * of aggregation (DESIGN.md §4). Events must be applied in log order with their record times; the
 * same log applied to a fresh state gives the same numbers, bit for bit, which is what makes
 * snapshots with offsets and replay exact.
 */
public final class PartitionState {

  private final UnitHasher hasher;
  private final PhaseDefinitions definitions;
  final DedupWindow dedup;
  final EventTypes types = new EventTypes();
  final HeldEvents pending;
  final CovariateHistory history;
  private final Predicate<String> covariateEvents;
  private final long lookback;
  private final StateLimits limits;
  private long unitEntryCount;
  long refusedExposures;
  final Map<String, TreeMap<Integer, UnitTable>> tables = new LinkedHashMap<>();
  private final Map<String, List<UnitTable>> byEvent = new HashMap<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  long streamTime = Long.MIN_VALUE;
  long duplicates;
  long unknownExposures;
  long heldRefused;
  private long otherEnvironments;

  /**
   * @param definitions the current definition of an experiment, or null when it is unknown (its
   *     exposures are then counted in {@link #unknownExposures()} and otherwise ignored, so that a
   *     client cannot grow state with made-up experiment keys); a {@link PhaseDefinitions} also
   *     gives every phase, and an exposure then counts in the phase in force at its ts ({@link
   *     PhaseRule})
   */
  public PartitionState(
      UnitHasher hasher,
      Function<String, ExperimentDefinition> definitions,
      UnitStateSettings settings) {
    this(hasher, definitions, type -> true, settings);
  }

  /**
   * @param covariateEvents the metric event types to keep as pre-exposure history for CUPED
   *     covariates (those some known experiment uses; keeping every type would let clients grow
   *     state with made-up event types)
   */
  public PartitionState(
      UnitHasher hasher,
      Function<String, ExperimentDefinition> definitions,
      Predicate<String> covariateEvents,
      UnitStateSettings settings) {
    this.hasher = hasher;
    this.definitions = PhaseDefinitions.withEnvironments(PhaseDefinitions.of(definitions));
    this.covariateEvents = covariateEvents;
    this.lookback = settings.covariateLookback().toMillis();
    this.history =
        new CovariateHistory(
            settings.covariateEventsPerUnit(),
            settings.covariateLookback().plus(settings.covariateSlack()).toMillis(),
            settings.limits().futureSkew().toMillis(),
            settings.limits().maxCovariateEntries());
    this.limits = settings.limits();
    this.dedup = new DedupWindow(settings.dedupWindow().toMillis(), settings.dedupBuckets());
    this.pending =
        new HeldEvents(
            settings.hold().toMillis(), settings.holdPerUnit(), settings.holdTotal(), types);
  }

  /** Applies one record of the log; {@code recordTime} is its Kafka timestamp. */
  public void apply(TrackedEvent event, long recordTime) {
    streamTime = Math.max(streamTime, recordTime);
    pending.expire(streamTime);
    if (event.eventId() != null && !dedup.firstSeen(event.eventId(), streamTime)) {
      duplicates++;
      return;
    }
    // each environment's traffic has results of its own (Environments.resultsKey): staging's QA
    // never moves production's verdicts, and its units are others than production's
    String environment = event.environment();
    if (!event.inDefaultEnvironment()) {
      otherEnvironments++;
    }
    long unit = hasher.hash(Environments.unitIn(event.unit(), environment));
    long ts = event.ts() == null ? recordTime : event.ts().toEpochMilli();
    if (event.isExposure()) {
      String experiment =
          event.experiment() == null
              ? null
              : Environments.resultsKey(event.experiment(), environment);
      expose(unit, experiment, event.variant(), ts);
    } else if (event.event() != null) {
      metric(unit, event.event(), event.value() == null ? 1.0 : event.value(), ts);
    }
  }

  /**
   * Applies a metric event to every table where its unit is exposed, and holds it only when it must
   * wait: when a table of this partition that uses its type has not seen the unit yet, or when none
   * does and a known experiment uses the type (its first exposure may be on its way). A unit
   * exposed everywhere its event counts is not held at all, which under load is most events.
   */
  private void metric(long unit, String type, double value, long ts) {
    boolean used = false;
    boolean waits = false;
    for (UnitTable table : byEvent.getOrDefault(type, List.of())) {
      used = true;
      int slot = table.slotOf(unit);
      if (slot < 0) {
        waits = true;
      } else if (table.apply(slot, type, value, ts, true)) {
        dirty.add(table.definition.key());
      }
    }
    boolean known = covariateEvents.test(type);
    if (known) {
      history.record(unit, type, value, ts, streamTime);
    }
    if ((used ? waits : known) && !pending.hold(unit, type, value, ts, streamTime)) {
      heldRefused++;
    }
  }

  private void expose(long unit, String experiment, String variant, long ts) {
    if (experiment == null || variant == null) {
      return;
    }
    List<ExperimentDefinition> known = definitions.phases(experiment);
    ExperimentDefinition definition = PhaseRule.at(phasesOf(experiment, known), ts);
    if (definition == null) {
      unknownExposures++;
      return;
    }
    UnitTable table =
        tables
            .computeIfAbsent(experiment, e -> new TreeMap<>())
            .computeIfAbsent(definition.phase(), p -> newTable(definition, 1024));
    if (fromDefinitions(known, definition)) {
      table.epochCounts.sync(definition.epochs(), table);
    }
    if (unitEntryCount >= limits.maxUnitEntries() && table.slotOf(unit) < 0) {
      refusedExposures++;
      return;
    }
    long multipleBefore = table.multipleExposureUnits;
    int slot = table.expose(unit, variant, ts);
    if (slot >= 0) {
      unitEntryCount++;
      // The covariate: this unit's events of each metric before the exposure, in its lookback.
      for (int j = 0; j < table.metricCount(); j++) {
        var metric = table.definition.metrics().get(j);
        if (metric.isRatio()) {
          continue; // its second number is the denominator, counted after exposure
        }
        double x =
            history.covariate(
                unit,
                metric.event(),
                metric.kind() == MetricKind.PROPORTION,
                ts - table.lookback(j),
                ts,
                streamTime);
        table.setCovariate(slot, j, x);
      }
      // Events that came before this exposure count now, if they fall after it and in the window
      // (those before it by ts are in the covariate already).
      pending.forUnit(unit, (type, value, at) -> table.apply(slot, type, value, at, false));
      dirty.add(experiment);
    } else if (table.multipleExposureUnits != multipleBefore) {
      dirty.add(experiment);
    }
  }

  /**
   * The phases to choose from: those the definitions know, and those this partition holds a table
   * of that they do not name (restored from a snapshot or begun here). A table's definition is
   * known for good: an exposure to it counts even when the node's definitions no longer name the
   * experiment, otherwise a replay after a pause would drop exposures that the live run counted.
   */
  private List<ExperimentDefinition> phasesOf(String experiment, List<ExperimentDefinition> known) {
    TreeMap<Integer, UnitTable> held = tables.get(experiment);
    if (held == null || knowsAll(known, held.keySet())) {
      return known;
    }
    TreeMap<Integer, ExperimentDefinition> all = new TreeMap<>();
    held.forEach((phase, t) -> all.put(phase, t.definition));
    known.forEach(d -> all.put(d.phase(), d));
    return List.copyOf(all.values());
  }

  /** Whether the chosen definition is the live one (not a table's fixed one), by identity. */
  private static boolean fromDefinitions(
      List<ExperimentDefinition> known, ExperimentDefinition chosen) {
    for (ExperimentDefinition d : known) {
      if (d == chosen) {
        return true;
      }
    }
    return false;
  }

  private static boolean knowsAll(List<ExperimentDefinition> known, Set<Integer> phases) {
    for (int phase : phases) {
      boolean found = false;
      for (ExperimentDefinition d : known) {
        found |= d.phase() == phase;
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  UnitTable newTable(ExperimentDefinition definition, int expectedUnits) {
    return newTable(definition, expectedUnits, lookback);
  }

  /**
   * A table with its covariate lookback cap: the configured one for a new phase, the one it started
   * with for a restored table (like its definition, it stays fixed for the phase).
   */
  UnitTable newTable(ExperimentDefinition definition, int expectedUnits, long lookback) {
    UnitTable table = new UnitTable(definition, expectedUnits, lookback);
    Set<String> types = new LinkedHashSet<>();
    definition.metrics().forEach(m -> types.addAll(m.events()));
    types.addAll(definition.funnel());
    for (String type : types) {
      byEvent.computeIfAbsent(type, t -> new ArrayList<>()).add(table);
    }
    return table;
  }

  /** Experiments whose partial changed since the last call; clears the set. */
  public Set<String> takeDirty() {
    Set<String> out = Set.copyOf(dirty);
    dirty.clear();
    return out;
  }

  public Set<String> experiments() {
    return tables.keySet();
  }

  /** This partition's partial totals of each phase of an experiment (empty when never exposed). */
  public List<ExperimentTotals> partials(String experiment) {
    List<ExperimentTotals> out = new ArrayList<>();
    List<ExperimentDefinition> known = definitions.phases(experiment);
    for (UnitTable t : tables.getOrDefault(experiment, new TreeMap<>()).values()) {
      for (ExperimentDefinition d : known) {
        if (d.phase() == t.definition.phase()) {
          t.epochCounts.sync(d.epochs(), t); // a new epoch learned since the last exposure
        }
      }
      out.add(partial(t));
    }
    return out;
  }

  private ExperimentTotals partial(UnitTable t) {
    int m = t.metricCount();
    int k = t.funnelLength();
    Map<String, Long> units = new LinkedHashMap<>();
    Map<String, Map<String, MetricSums>> metrics = new LinkedHashMap<>();
    Map<String, List<Long>> funnel = new LinkedHashMap<>();
    for (int v = 0; v < t.variants.size(); v++) {
      String variant = t.variants.get(v);
      units.put(variant, t.unitsPerVariant[v]);
      for (int j = 0; j < m; j++) {
        metrics
            .computeIfAbsent(t.definition.metrics().get(j).key(), x -> new LinkedHashMap<>())
            .put(
                variant,
                new MetricSums(
                    t.unitsPerVariant[v],
                    t.sum[v * m + j],
                    t.sumSquares[v * m + j],
                    t.sumX[v * m + j],
                    t.sumXSquares[v * m + j],
                    t.sumXY[v * m + j]));
      }
      if (k > 0) {
        List<Long> steps = new ArrayList<>(k);
        for (int s = 0; s < k; s++) {
          steps.add(t.funnelCounts[v * k + s]);
        }
        funnel.put(variant, List.copyOf(steps));
      }
    }
    return new ExperimentTotals(
        t.definition.key(),
        t.definition.phase(),
        Instant.ofEpochMilli(Math.max(0, streamTime)),
        units,
        metrics,
        funnel,
        t.multipleExposureUnits,
        t.epochCounts.summary(t.variants));
  }

  public long duplicates() {
    return duplicates;
  }

  /**
   * Events of another environment than the default one (counted under their environment's results
   * keys), since this state was created or restored (not kept in snapshots).
   */
  public long otherEnvironmentEvents() {
    return otherEnvironments;
  }

  public long unknownExposures() {
    return unknownExposures;
  }

  public int heldEvents() {
    return pending.size();
  }

  /** Units × event types with pre-exposure history kept for covariates. */
  public int covariateEntries() {
    return history.entries();
  }

  /** Heap bytes of the pre-exposure history (grows with recently active units). */
  public long covariateBytes() {
    return history.bytes();
  }

  /** Units × experiment phases held. */
  public long unitEntries() {
    return unitEntryCount;
  }

  /** What each structure holds and costs now, against its budget and cap. */
  public StateUsage usage() {
    return new StateUsage(
        unitEntryCount,
        unitBytes(),
        pending.size(),
        pending.bytes() + types.bytes(),
        dedup.size(),
        dedup.bytes(),
        history.entries(),
        history.bytes(),
        limits,
        new StateUsage.Refusals(
            refusedExposures,
            pending.evicted(),
            heldRefused,
            history.futureEvents(),
            history.refusedEntries()));
  }

  /** Heap bytes of per-unit arrays and indexes (what grows with units). */
  public long unitBytes() {
    long n = 0;
    for (Map<Integer, UnitTable> phases : tables.values()) {
      for (UnitTable t : phases.values()) {
        n += t.bytes();
      }
    }
    return n;
  }

  Collection<UnitTable> allTables() {
    List<UnitTable> all = new ArrayList<>();
    tables.values().forEach(p -> all.addAll(p.values()));
    return all;
  }

  /** Restores a table read from a snapshot, with its fixed definition. */
  void restoreTable(UnitTable table) {
    unitEntryCount += table.size;
    tables
        .computeIfAbsent(table.definition.key(), e -> new TreeMap<>())
        .put(table.definition.phase(), table);
  }
}
