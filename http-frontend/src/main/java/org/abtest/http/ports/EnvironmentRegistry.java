package org.abtest.http.ports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
          return EnvironmentRegistry.known(Set.of());
        }

        @Override
        public CompletionStage<List<Environment>> list() {
          return CompletableFuture.completedFuture(listed(Map.of()));
        }

        @Override
        public CompletionStage<Environment> add(String key, Authenticator.Principal by) {
          return CompletableFuture.failedFuture(
              PortFailure.unavailable("no environment store here"));
        }
      };

  /** The defaults, then {@code added} (key → when) in key order: what {@link #list} answers. */
  static List<Environment> listed(Map<String, Instant> added) {
    List<Environment> out = new ArrayList<>();
    Environments.DEFAULTS.forEach(k -> out.add(new Environment(k, true, null)));
    new TreeMap<>(added).forEach((k, at) -> out.add(new Environment(k, false, at)));
    return List.copyOf(out);
  }

  /** The defaults and {@code added}: what {@link #known} answers. */
  static Set<String> known(Set<String> added) {
    Set<String> keys = new HashSet<>(Environments.DEFAULTS);
    keys.addAll(added);
    return Set.copyOf(keys);
  }

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
