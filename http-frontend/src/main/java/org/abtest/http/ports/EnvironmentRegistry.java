package org.abtest.http.ports;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.protocol.experiment.Environments;

/**
 * The environments SDK keys are issued for and experiments are enabled in ({@code GET|POST
 * /v1/environments}): {@link Environments#DEFAULTS} and the ones an admin added, at most {@link
 * Environments#MAX}. Stages fail with a {@link PortFailure}.
 */
public interface EnvironmentRegistry {

  /** One environment; {@code createdAt} is null for a default. */
  record Environment(String key, boolean builtIn, Instant createdAt) {}

  /** The defaults only, and nothing may be added: for a node part that has no store. */
  EnvironmentRegistry DEFAULTS_ONLY =
      new EnvironmentRegistry() {
        @Override
        public Set<String> known() {
          return Set.copyOf(Environments.DEFAULTS);
        }

        @Override
        public CompletionStage<List<Environment>> list() {
          return CompletableFuture.completedFuture(
              Environments.DEFAULTS.stream().map(k -> new Environment(k, true, null)).toList());
        }

        @Override
        public CompletionStage<Environment> add(String key, Authenticator.Principal by) {
          return CompletableFuture.failedFuture(
              PortFailure.unavailable("no environment store here"));
        }
      };

  /**
   * The keys this node knows now, without waiting: what experiments and SDK keys may name. An
   * environment added on another node is known here within the store's refresh interval.
   */
  Set<String> known();

  /** Every environment, defaults first, then by key. */
  CompletionStage<List<Environment>> list();

  /**
   * Adds one; fails with a conflict when the key exists or the registry is full ({@link
   * Environments#MAX}).
   */
  CompletionStage<Environment> add(String key, Authenticator.Principal by);
}
