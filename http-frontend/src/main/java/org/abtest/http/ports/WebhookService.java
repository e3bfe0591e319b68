package org.abtest.http.ports;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the platform announces what it did on its own or by a person's hand ({@code /v1/webhooks}):
 * a guardrail's action, a lifecycle change. The secret signs each delivery and is never shown
 * again. Stages fail with a {@link PortFailure}.
 */
public interface WebhookService {

  /** The kinds of announcement a webhook may subscribe to. */
  Set<String> KINDS = Set.of("guardrail", "lifecycle");

  /** Most webhooks of a node's region. */
  int MAX_WEBHOOKS = 20;

  /** Longest URL and secret accepted. */
  int MAX_URL_CHARS = 2048;

  int MAX_SECRET_CHARS = 256;

  /** A webhook as shown: never its secret. */
  record Webhook(String id, String url, Set<String> events, Instant createdAt) {}

  /** A service that stores none: every call fails as unavailable. */
  WebhookService NONE =
      new WebhookService() {
        @Override
        public CompletionStage<Webhook> add(
            String url, String secret, Set<String> events, Authenticator.Principal by) {
          return CompletableFuture.failedFuture(PortFailure.unavailable("no webhook store here"));
        }

        @Override
        public CompletionStage<List<Webhook>> list() {
          return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletionStage<Void> remove(String id) {
          return CompletableFuture.failedFuture(PortFailure.notFound("no webhook " + id));
        }
      };

  /** Fails with a conflict ({@code too_many}) when {@link #MAX_WEBHOOKS} exist. */
  CompletionStage<Webhook> add(
      String url, String secret, Set<String> events, Authenticator.Principal by);

  CompletionStage<List<Webhook>> list();

  /** Fails with {@link PortFailure.NotFound} when there is none of that id. */
  CompletionStage<Void> remove(String id);
}
