package org.abtest.http;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.PortFailure;
import org.abtest.http.ports.WebhookService;

/** Webhooks in memory, with the store's bound; the secrets are kept to check none leaks. */
final class FakeWebhooks implements WebhookService {

  final Map<String, String> secrets = new TreeMap<>();
  private final Map<String, Webhook> byId = new TreeMap<>();
  private int ids;

  @Override
  public synchronized CompletionStage<Webhook> add(
      String url, String secret, Set<String> events, Authenticator.Principal by) {
    if (byId.size() >= MAX_WEBHOOKS) {
      return CompletableFuture.failedFuture(PortFailure.conflict("too_many", "full"));
    }
    Webhook w = new Webhook("whk_" + ids++, url, events, Instant.EPOCH);
    byId.put(w.id(), w);
    secrets.put(w.id(), secret);
    return CompletableFuture.completedFuture(w);
  }

  @Override
  public synchronized CompletionStage<List<Webhook>> list() {
    return CompletableFuture.completedFuture(List.copyOf(byId.values()));
  }

  @Override
  public synchronized CompletionStage<Void> remove(String id) {
    if (byId.remove(id) == null) {
      return CompletableFuture.failedFuture(PortFailure.notFound("no webhook " + id));
    }
    return CompletableFuture.completedFuture(null);
  }
}
