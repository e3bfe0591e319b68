package org.abtest.node.adapters;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.abtest.georeplication.ExperimentEntity;
import org.abtest.http.ApiError;
import org.abtest.http.ports.ExperimentService;
import org.abtest.protocol.experiment.Experiment;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** The admin API's experiment operations as asks to the sharded experiment entities. */
public final class ShardedExperimentService implements ExperimentService {

  private final ClusterSharding sharding;
  private final Duration timeout;

  public ShardedExperimentService(ClusterSharding sharding, Duration timeout) {
    this.sharding = sharding;
    this.timeout = timeout;
  }

  @Override
  public CompletionStage<Experiment> create(Experiment draft) {
    return ask(draft.key(), replyTo -> new ExperimentEntity.Create(draft, replyTo));
  }

  @Override
  public CompletionStage<Experiment> get(String key) {
    return ask(key, ExperimentEntity.Get::new);
  }

  @Override
  public CompletionStage<Experiment> start(String key) {
    return ask(key, ExperimentEntity.Start::new);
  }

  private CompletionStage<Experiment> ask(
      String key, Function<ActorRef<ExperimentEntity.Reply>, ExperimentEntity.Command> command) {
    return sharding
        .entityRefFor(ExperimentEntity.ENTITY_TYPE_KEY, key)
        .ask(command::apply, timeout)
        .thenApply(ShardedExperimentService::unwrap);
  }

  private static Experiment unwrap(ExperimentEntity.Reply reply) {
    if (reply instanceof ExperimentEntity.Accepted accepted) {
      return accepted.experiment();
    }
    var rejected = (ExperimentEntity.Rejected) reply;
    throw switch (rejected.reason()) {
      case NOT_FOUND -> ApiError.notFound(rejected.message());
      case ALREADY_EXISTS -> ApiError.conflict("duplicate_key", rejected.message());
      case INVALID_TRANSITION -> ApiError.conflict("invalid_transition", rejected.message());
    };
  }
}
