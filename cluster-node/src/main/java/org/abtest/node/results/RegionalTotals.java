package org.abtest.node.results;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.abtest.analytics.aggregate.ExperimentAggregator;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.TotalsMerge;
import org.abtest.analytics.results.TotalsSource;
import org.abtest.protocol.Json;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Results over every region (DESIGN.md §7): this region's live totals plus the totals each other
 * region last published to the replicated {@code region_totals} table. Sums merge by addition, in
 * region-name order so that every region computes the same floating-point sums.
 *
 * <p>A unit is counted once per region that saw it: unit state lives with the region's own Kafka
 * partitions and is never shared, so a user who is exposed in two regions counts as a unit in each
 * (docs/decisions.md). With a single region this is the local aggregator's totals unchanged.
 *
 * <p>It asks the experiment's aggregator on this region itself, once per read: a results request is
 * two hops (the results service, then this).
 */
public final class RegionalTotals implements TotalsSource {

  /** One ask of this region's aggregator of an experiment: totals, ledger and phase starts. */
  @FunctionalInterface
  public interface LocalAggregates {
    CompletionStage<ExperimentAggregator.Totals> of(String experiment);
  }

  /**
   * @param merged the phase's totals over every region
   * @param local this region's aggregator (its sequential ledger, folded from this region's totals)
   */
  public record PhaseTotals(ExperimentTotals merged, ExperimentAggregator.Totals local) {}

  private final LocalAggregates local;
  private final Clock clock;
  private final CassandraSession session;
  private final String table;
  private final String region;
  private final Set<String> regions;
  private final Map<String, ExperimentTotals> published = new ConcurrentHashMap<>();

  /** The other regions' rows as last read, per experiment phase: they change every 2 s at most. */
  private record Read(long atNanos, CompletionStage<Map<String, ExperimentTotals>> rows) {}

  private static final long REREAD_NANOS = 1_000_000_000L;
  private final Map<String, Read> reads = new ConcurrentHashMap<>();

  public RegionalTotals(
      LocalAggregates local,
      Clock clock,
      CassandraSession session,
      String keyspace,
      String region,
      Set<String> regions) {
    this.local = local;
    this.clock = clock;
    this.session = session;
    this.table = keyspace + ".region_totals";
    this.region = region;
    this.regions = Set.copyOf(regions);
  }

  public boolean multiRegion() {
    return regions.size() > 1;
  }

  public CompletionStage<Done> createTable() {
    return session.executeDDL(
        "CREATE TABLE IF NOT EXISTS "
            + table
            + " (experiment text, phase int, region text, totals text, updated_at timestamp,"
            + " PRIMARY KEY ((experiment, phase), region))");
  }

  /** This region's aggregator of the experiment, as one reply. */
  public CompletionStage<ExperimentAggregator.Totals> local(String experiment) {
    return local.of(experiment);
  }

  @Override
  public CompletionStage<ExperimentTotals> totals(String experiment, int phase) {
    return phase(experiment, phase).thenApply(PhaseTotals::merged);
  }

  /** The phase's totals over every region, with this region's aggregator (one ask). */
  public CompletionStage<PhaseTotals> phase(String experiment, int phase) {
    CompletionStage<ExperimentAggregator.Totals> mine = local.of(experiment);
    if (!multiRegion()) {
      return mine.thenApply(t -> new PhaseTotals(ofPhase(t, experiment, phase), t));
    }
    return mine.thenCombine(
        others(experiment, phase),
        (t, theirs) -> {
          Map<String, ExperimentTotals> byRegion = new TreeMap<>(theirs);
          byRegion.put(region, ofPhase(t, experiment, phase));
          return new PhaseTotals(TotalsMerge.merge(experiment, phase, byRegion.values()), t);
        });
  }

  /** A phase this region has no events of yet reads as empty totals, as of now. */
  private ExperimentTotals ofPhase(ExperimentAggregator.Totals t, String experiment, int phase) {
    ExperimentTotals totals = t.byPhase().get(phase);
    return totals != null
        ? totals
        : new ExperimentTotals(experiment, phase, clock.instant(), Map.of(), Map.of(), Map.of(), 0);
  }

  /** Writes this region's totals of the phase for the other regions, if they changed. */
  public CompletionStage<Done> publish(String experiment, int phase) {
    return local
        .of(experiment)
        .thenApply(t -> ofPhase(t, experiment, phase))
        .thenCompose(
            totals -> {
              String id = experiment + "/" + phase;
              ExperimentTotals last = published.get(id);
              if (last != null && TotalsMerge.sameNumbers(last, totals)) {
                return CompletableFuture.completedFuture(Done.getInstance());
              }
              return session
                  .executeWrite(
                      SimpleStatement.newInstance(
                          "INSERT INTO "
                              + table
                              + " (experiment, phase, region, totals, updated_at)"
                              + " VALUES (?, ?, ?, ?, ?)",
                          experiment,
                          phase,
                          region,
                          toJson(totals),
                          totals.asOf()))
                  .thenApply(
                      done -> {
                        published.put(id, totals);
                        return done;
                      });
            });
  }

  /** At most one read per experiment phase a second, however many results requests come in. */
  private CompletionStage<Map<String, ExperimentTotals>> others(String experiment, int phase) {
    long now = System.nanoTime();
    return reads
        .compute(
            experiment + "/" + phase,
            (id, last) ->
                last != null && now - last.atNanos() < REREAD_NANOS
                    ? last
                    : new Read(now, readOthers(experiment, phase)))
        .rows();
  }

  private CompletionStage<Map<String, ExperimentTotals>> readOthers(String experiment, int phase) {
    return session
        .selectAll(
            SimpleStatement.newInstance(
                "SELECT region, totals FROM " + table + " WHERE experiment = ? AND phase = ?",
                experiment,
                phase))
        .thenApply(
            rows -> {
              Map<String, ExperimentTotals> out = new TreeMap<>();
              for (Row row : rows) {
                String from = row.getString("region");
                if (!region.equals(from) && regions.contains(from)) {
                  out.put(from, fromJson(row.getString("totals")));
                }
              }
              return out;
            })
        // Another region's totals are a bonus: without them this region's still answer.
        .exceptionally(error -> Map.of());
  }

  static String toJson(ExperimentTotals totals) {
    try {
      return Json.mapper().writeValueAsString(totals);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("totals are not serializable", e);
    }
  }

  static ExperimentTotals fromJson(String json) {
    try {
      return Json.mapper().readValue(json, ExperimentTotals.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("stored region totals are unreadable", e);
    }
  }
}
