package org.abtest.node.assignment;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.abtest.protocol.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * One small actor per node that tells which manifest version the node's evaluator holds, and how
 * many Kafka partitions (unit-state actors) the node owns. It is registered with the receptionist,
 * so any node can ask all of them ({@link #collect}) for {@code GET /v1/cluster}: a node whose
 * version lags the others has not received the latest manifest.
 */
public final class ManifestVersions {

  public static final ServiceKey<Command> KEY =
      ServiceKey.create(Command.class, "manifest-version");

  public sealed interface Command extends CborSerializable {}

  public record GetVersion(ActorRef<Version> replyTo) implements Command {}

  /** {@code version} is null before the node's first manifest. */
  public record Version(String address, Long version, int partitions) implements CborSerializable {}

  private ManifestVersions() {}

  public static Behavior<Command> create(ManifestHolder manifests, IntSupplier partitions) {
    return Behaviors.setup(
        context -> {
          context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
          String address = Cluster.get(context.getSystem()).selfMember().address().toString();
          return Behaviors.receive(Command.class)
              .onMessage(
                  GetVersion.class,
                  get -> {
                    get.replyTo()
                        .tell(new Version(address, version(manifests), partitions.getAsInt()));
                    return Behaviors.same();
                  })
              .build();
        });
  }

  static Long version(ManifestHolder manifests) {
    var current = manifests.current();
    return current == null ? null : current.version();
  }

  /**
   * Every registered node's answer by member address. A node that does not answer within {@code
   * timeout} is left out (the caller reports it as unknown); this stage itself never fails.
   */
  public static CompletionStage<Map<String, Version>> collect(
      ActorSystem<?> system, Duration timeout) {
    Map<String, Version> versions = new ConcurrentHashMap<>();
    return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(
            system.receptionist(),
            replyTo -> Receptionist.find(KEY, replyTo),
            timeout,
            system.scheduler())
        .thenCompose(
            listing -> {
              List<CompletableFuture<Void>> asks =
                  listing.getServiceInstances(KEY).stream()
                      .map(
                          ref ->
                              AskPattern.<Command, Version>ask(
                                      ref, GetVersion::new, timeout, system.scheduler())
                                  .handle(
                                      (answer, failure) -> {
                                        if (answer != null) {
                                          versions.put(answer.address(), answer);
                                        }
                                        return (Void) null;
                                      })
                                  .toCompletableFuture())
                      .toList();
              return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new));
            })
        .handle((done, failure) -> Map.copyOf(versions));
  }
}
