package org.abtest.node.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.abtest.analytics.units.ExperimentDefinition;
import org.abtest.node.assignment.ManifestHolder;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;

/**
 * Which definitions unit state counts with (the manifest's, else the stored newest phase) and which
 * event types it keeps as pre-exposure history: those some known experiment uses.
 */
class ManifestDefinitionsTest {

  private static Manifest manifest(long version, ManifestExperiment... experiments) {
    return new Manifest(version, List.of(experiments), Map.of(), null);
  }

  private static ManifestExperiment experiment(String key, MetricDefinition... metrics) {
    return experiment(key, 1, metrics);
  }

  private static ManifestExperiment experiment(String key, int phase, MetricDefinition... metrics) {
    return new ManifestExperiment(
        key,
        ExperimentType.EXPERIMENT,
        phase,
        "salt-" + key,
        null,
        null,
        false,
        null,
        10000,
        List.of(new Variant("a", 5000, null), new Variant("b", 5000, null)),
        Map.of(),
        List.of(metrics),
        null,
        null);
  }

  @Test
  void anExperimentStartedAndPausedBeforeAnyEventIsReadIsStillKnown() {
    var holder = new ManifestHolder();
    var definitions = new ManifestDefinitions(holder);
    holder.offer(manifest(1, experiment("brief")));
    holder.offer(manifest(2));
    assertThat(definitions.phases("brief"))
        .extracting(ExperimentDefinition::phase)
        .containsExactly(1);
  }

  @Test
  void metricAndFunnelEventsOfEveryExperimentSeenAreUsedAndStayUsed() {
    var holder = new ManifestHolder();
    var definitions = new ManifestDefinitions(holder);
    assertThat(definitions.usesEvent("buy")).isFalse();

    holder.offer(
        manifest(
            1,
            experiment(
                "checkout",
                new MetricDefinition("conv", "buy", MetricKind.PROPORTION, 24),
                new MetricDefinition("f", null, null, 2, List.of("view", "cart", "buy")))));
    assertThat(definitions.usesEvent("buy")).isTrue();
    assertThat(definitions.usesEvent("view")).isTrue();
    assertThat(definitions.usesEvent("cart")).isTrue();
    assertThat(definitions.usesEvent("scroll")).isFalse();

    // the experiment left the manifest (paused): its events are still kept, like its definition
    holder.offer(
        manifest(
            2, experiment("search", new MetricDefinition("clicks", "click", MetricKind.MEAN, 2))));
    assertThat(definitions.usesEvent("click")).isTrue();
    assertThat(definitions.usesEvent("buy")).isTrue();
    assertThat(definitions.apply("checkout")).isNotNull();
  }

  /** An in-memory history, as Cassandra would keep it across node restarts. */
  private static final class MemoryHistory implements DefinitionHistory {
    final Map<String, ExperimentDefinition> rows = new ConcurrentHashMap<>();
    boolean failing;

    @Override
    public CompletionStage<List<ExperimentDefinition>> loadAll(int limit) {
      return CompletableFuture.completedFuture(
          new ArrayList<>(rows.values()).subList(0, Math.min(limit, rows.size())));
    }

    @Override
    public CompletionStage<Void> save(ExperimentDefinition d) {
      if (failing) {
        return CompletableFuture.failedFuture(new IllegalStateException("cassandra away"));
      }
      rows.put(d.key() + "#" + d.phase(), d);
      return CompletableFuture.completedFuture(null);
    }
  }

  private static final MetricDefinition BUY =
      new MetricDefinition("conv", "buy", MetricKind.PROPORTION, 24);

  @Test
  void aPausedExperimentKeepsItsDefinitionOnANodeThatNeverSawItRunning() {
    var history = new MemoryHistory();
    var before = new ManifestHolder();
    var first = new ManifestDefinitions(before, history, 1000, 200, () -> 0L);
    before.offer(manifest(1, experiment("checkout", 1, BUY)));
    assertThat(first.apply("checkout").phase()).isEqualTo(1);
    before.offer(manifest(2, experiment("checkout", 2, BUY)));
    assertThat(first.apply("checkout").phase()).isEqualTo(2);
    assertThat(history.rows).containsOnlyKeys("checkout#1", "checkout#2");

    // a restart after the pause: the manifest no longer holds it, the history does
    var after = new ManifestHolder();
    var restarted = new ManifestDefinitions(after, history, 1000, 200, () -> 0L);
    restarted.loaded(history.loadAll(1000).toCompletableFuture().join());
    after.offer(manifest(3, experiment("search", 1)));
    assertThat(restarted.apply("checkout")).isEqualTo(first.apply("checkout"));
    assertThat(restarted.usesEvent("buy")).isTrue();
    assertThat(restarted.apply("nothing")).isNull();
  }

  @Test
  void theManifestsPhaseWinsOverAStoredOne() {
    var history = new MemoryHistory();
    history.save(ExperimentDefinition.of("checkout", 1, List.of()));
    var holder = new ManifestHolder();
    var definitions = new ManifestDefinitions(holder, history, 1000, 200, () -> 0L);
    definitions.loaded(history.loadAll(1000).toCompletableFuture().join());
    holder.offer(manifest(1, experiment("checkout", 1, BUY)));
    assertThat(definitions.apply("checkout").metrics()).containsExactly(BUY);
    // a changed definition of the same phase replaces the stored one
    assertThat(history.rows.get("checkout#1").metrics()).containsExactly(BUY);
  }

  @Test
  void aFailedWriteIsTriedAgainOnceTheRetryTimeHasPassed() {
    var history = new MemoryHistory();
    history.failing = true;
    long[] now = {0};
    var holder = new ManifestHolder();
    var definitions = new ManifestDefinitions(holder, history, 1000, 200, () -> now[0]);
    holder.offer(manifest(1, experiment("checkout", 1, BUY)));
    assertThat(definitions.apply("checkout")).isNotNull();
    assertThat(history.rows).isEmpty();
    history.failing = false;
    definitions.apply("checkout");
    assertThat(history.rows).isEmpty(); // not before the retry time
    now[0] = 1000;
    definitions.apply("checkout");
    assertThat(history.rows).containsOnlyKeys("checkout#1");
  }

  @Test
  void stickyWeightChangesAddWeightEpochsThatARestartReadsBack() {
    var history = new MemoryHistory();
    var holder = new ManifestHolder();
    var definitions = new ManifestDefinitions(holder, history, 1000, 200, () -> 0L);
    java.time.Instant t1 = java.time.Instant.parse("2026-11-22T10:00:00Z");
    java.time.Instant t2 = t1.plusSeconds(600);
    holder.offer(manifest(1, experiment("bandit", 1, BUY).withWeightsSince(t1)));
    assertThat(definitions.apply("bandit").epochs()).hasSize(1);
    var moved =
        new ManifestExperiment(
                "bandit",
                ExperimentType.BANDIT,
                1,
                "salt-bandit",
                null,
                null,
                false,
                null,
                10000,
                List.of(new Variant("a", 2000, null), new Variant("b", 8000, null)),
                Map.of(),
                List.of(BUY),
                null,
                null)
            .withWeightsSince(t2);
    holder.offer(manifest(2, moved));
    var epochs = definitions.apply("bandit").epochs();
    assertThat(epochs).extracting(e -> e.from()).containsExactly(t1, t2);
    assertThat(epochs.get(1).weights()).isEqualTo(Map.of("a", 2000, "b", 8000));
    // the same weights again (another field changed) start no epoch
    holder.offer(manifest(3, moved));
    assertThat(definitions.apply("bandit").epochs()).hasSize(2);

    var restarted = new ManifestDefinitions(new ManifestHolder(), history, 1000, 200, () -> 0L);
    restarted.loaded(history.loadAll(1000).toCompletableFuture().join());
    assertThat(restarted.apply("bandit").epochs()).isEqualTo(epochs);
  }

  @Test
  void everyPhaseSeenOrStoredIsKnownWithItsStartAndARestartReadsThemBack() {
    var history = new MemoryHistory();
    var holder = new ManifestHolder();
    var definitions = new ManifestDefinitions(holder, history, 1000, 200, () -> 0L);
    java.time.Instant s1 = java.time.Instant.parse("2026-11-22T10:00:00Z");
    java.time.Instant s2 = s1.plusSeconds(3600);
    holder.offer(manifest(1, experiment("checkout", 1, BUY).withPhaseStartedAt(s1)));
    assertThat(definitions.phases("checkout")).hasSize(1); // read on each event and once a second
    holder.offer(manifest(2, experiment("checkout", 2, BUY).withPhaseStartedAt(s2)));
    assertThat(definitions.apply("checkout").phase()).isEqualTo(2);
    assertThat(definitions.phases("checkout"))
        .extracting(d -> d.phase() + "@" + d.startedAt())
        .containsExactly("1@" + s1, "2@" + s2);
    assertThat(history.rows.get("checkout#1").startedAt()).isEqualTo(s1);

    // a restart after the pause: both phases come back from the history, in order
    var restarted = new ManifestDefinitions(new ManifestHolder(), history, 1000, 200, () -> 0L);
    restarted.loaded(history.loadAll(1000).toCompletableFuture().join());
    assertThat(restarted.phases("checkout")).isEqualTo(definitions.phases("checkout"));
    assertThat(restarted.phases("nothing")).isEmpty();
  }
}
