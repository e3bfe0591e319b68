package org.abtest.node.results;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.abtest.http.ports.ExperimentService;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * Once per region (a singleton): every interval, writes the region's totals of every started
 * experiment's current phase to the replicated table that {@link RegionalTotals} reads in the other
 * regions. One tick at a time; a slow Cassandra delays the next tick instead of piling up writes.
 */
public final class RegionTotalsPublisher {

  private RegionTotalsPublisher() {}

  private enum Tick implements NoSerializationVerificationNeeded {
    INSTANCE
  }

  private enum Done implements NoSerializationVerificationNeeded {
    INSTANCE
  }

  public static void init(
      ActorSystem<?> system,
      RegionalTotals totals,
      ExperimentService experiments,
      Duration interval) {
    if (!totals.multiRegion()) {
      return;
    }
    totals
        .createTable()
        .whenComplete(
            (ok, error) ->
                ClusterSingleton.get(system)
                    .init(
                        SingletonActor.of(
                            create(totals, experiments, interval), "region-totals-publisher")));
  }

  private static Behavior<Object> create(
      RegionalTotals totals, ExperimentService experiments, Duration interval) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  timers.startSingleTimer(Tick.INSTANCE, interval);
                  return Behaviors.receive(Object.class)
                      .onMessageEquals(
                          Tick.INSTANCE,
                          () -> {
                            experiments
                                .list(null)
                                .thenCompose(list -> publishAll(totals, list))
                                .whenComplete((ok, error) -> ctx.getSelf().tell(Done.INSTANCE));
                            return Behaviors.same();
                          })
                      .onMessageEquals(
                          Done.INSTANCE,
                          () -> {
                            timers.startSingleTimer(Tick.INSTANCE, interval);
                            return Behaviors.same();
                          })
                      .build();
                }));
  }

  private static CompletableFuture<Void> publishAll(
      RegionalTotals totals, List<Experiment> experiments) {
    return CompletableFuture.allOf(
        experiments.stream()
            .filter(e -> e.status() != ExperimentStatus.DRAFT)
            .map(e -> totals.publish(e.key(), e.phase()).toCompletableFuture())
            .toArray(CompletableFuture[]::new));
  }
}
