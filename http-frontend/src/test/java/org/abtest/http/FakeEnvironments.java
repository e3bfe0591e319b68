package org.abtest.http;

import java.time.Instant;
import java.util.ArrayList;
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
    var keys = new java.util.HashSet<>(Environments.DEFAULTS);
    keys.addAll(added.keySet());
    return Set.copyOf(keys);
  }

  @Override
  public synchronized CompletionStage<List<Environment>> list() {
    List<Environment> out = new ArrayList<>();
    Environments.DEFAULTS.forEach(k -> out.add(new Environment(k, true, null)));
    added.forEach((k, at) -> out.add(new Environment(k, false, at)));
    return CompletableFuture.completedFuture(out);
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
