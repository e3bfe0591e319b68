package org.abtest.http;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.EnvironmentRegistry;
import org.abtest.http.ports.PortFailure;
import org.abtest.protocol.experiment.Environments;

/** The registry in memory, with the node's rules: defaults fixed, no duplicates, at most MAX. */
final class FakeEnvironments implements EnvironmentRegistry {

  private final Map<String, Instant> added = new TreeMap<>();

  @Override
  public synchronized Set<String> known() {
    return EnvironmentRegistry.known(added.keySet());
  }

  @Override
  public synchronized CompletionStage<List<Environment>> list() {
    return CompletableFuture.completedFuture(EnvironmentRegistry.listed(added));
  }

  @Override
  public synchronized CompletionStage<Environment> add(String key, Authenticator.Principal by) {
    if (known().contains(key)) {
      return CompletableFuture.failedFuture(PortFailure.conflict("duplicate_key", key + " exists"));
    }
    if (known().size() >= Environments.MAX) {
      return CompletableFuture.failedFuture(PortFailure.conflict("too_many", "full"));
    }
    added.put(key, Instant.EPOCH);
    return CompletableFuture.completedFuture(new Environment(key, false, Instant.EPOCH));
  }
}
