package org.abtest.node.bandit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.analytics.bandit.BanditPolicy;
import org.abtest.analytics.results.TotalsSource;
import org.abtest.http.ports.ExperimentService;
import org.abtest.protocol.experiment.Author;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentPatch;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.ExperimentType;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * Moves the weights of running bandit experiments toward their best arms, once per interval, on one
 * node of the cluster. Each change is a sticky PATCH (same phase and salt, so the totals keep
 * accumulating) made by the actor "bandit", so the audit trail shows every reallocation. A PATCH
 * that loses a race with a person's edit (stale version) is simply retried next interval.
 */
public final class BanditUpdater {

  static final Author AUTHOR = new Author("bandit", "bandit updater");

  /** Local only: the updater talks to itself through timers and pipeToSelf. */
  sealed interface Command extends NoSerializationVerificationNeeded {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record Finished(int updated, Throwable error) implements Command {}

  private BanditUpdater() {}

  public static void init(
      ActorSystem<?> system,
      ExperimentService experiments,
      TotalsSource totals,
      BanditPolicy policy,
      Duration interval) {
    ClusterSingleton.get(system)
        .init(SingletonActor.of(create(experiments, totals, policy, interval), "bandit-updater"));
  }

  static Behavior<Command> create(
      ExperimentService experiments, TotalsSource totals, BanditPolicy policy, Duration interval) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(Tick.INSTANCE, interval);
                  boolean[] running = {false};
                  return Behaviors.receive(Command.class)
                      .onMessageEquals(
                          Tick.INSTANCE,
                          () -> {
                            if (!running[0]) {
                              running[0] = true;
                              ctx.pipeToSelf(
                                  updateAll(experiments, totals, policy),
                                  (n, e) -> new Finished(n == null ? 0 : n, e));
                            }
                            return Behaviors.same();
                          })
                      .onMessage(
                          Finished.class,
                          done -> {
                            running[0] = false;
                            if (done.error() != null) {
                              ctx.getLog()
                                  .warn("bandit update failed: {}", done.error().toString());
                            } else if (done.updated() > 0) {
                              ctx.getLog().info("bandit weights updated for {}", done.updated());
                            }
                            return Behaviors.same();
                          })
                      .build();
                }));
  }

  static CompletionStage<Integer> updateAll(
      ExperimentService experiments, TotalsSource totals, BanditPolicy policy) {
    return experiments
        .list(ExperimentStatus.RUNNING)
        .thenCompose(
            running -> {
              List<CompletableFuture<Integer>> updates =
                  running.stream()
                      .filter(e -> e.type() == ExperimentType.BANDIT)
                      .map(e -> update(e, experiments, totals, policy).toCompletableFuture())
                      .toList();
              return CompletableFuture.allOf(updates.toArray(CompletableFuture[]::new))
                  .thenApply(v -> updates.stream().mapToInt(CompletableFuture::join).sum());
            });
  }

  private static CompletionStage<Integer> update(
      Experiment experiment,
      ExperimentService experiments,
      TotalsSource totals,
      BanditPolicy policy) {
    return totals
        .totals(experiment.key(), experiment.phase())
        .thenCompose(
            t ->
                policy
                    .nextVariants(experiment, t)
                    .map(
                        variants -> {
                          return experiments
                              .patch(
                                  experiment.key(),
                                  experiment.version(),
                                  ExperimentPatch.of(ExperimentField.VARIANTS, variants),
                                  true,
                                  AUTHOR)
                              .thenApply(d -> 1);
                        })
                    .orElse(CompletableFuture.completedFuture(0)))
        // One experiment's failure (a stale version, a missing aggregate) never stops the others.
        .exceptionally(error -> 0);
  }
}
