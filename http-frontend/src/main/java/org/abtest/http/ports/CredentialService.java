package org.abtest.http.ports;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Admin tokens and SDK keys (API.md, Credentials). A secret exists only in the reply that issues
 * it; the store keeps its hash. Stages fail with a {@link PortFailure}.
 */
public interface CredentialService {

  /**
   * A newly issued credential; {@code secret} is shown this once. {@code rateLimitPerSecond} is the
   * credential's own limit, 0 when it has the default of its kind.
   */
  record Issued(
      String id,
      String secret,
      String kind,
      Role role,
      String environment,
      String name,
      Instant createdAt,
      int rateLimitPerSecond) {

    public Issued(
        String id,
        String secret,
        String kind,
        Role role,
        String environment,
        String name,
        Instant createdAt) {
      this(id, secret, kind, role, environment, name, createdAt, 0);
    }
  }

  CompletionStage<Issued> issueToken(Role role, String name, Authenticator.Principal by);

  /**
   * An SDK key. {@code obfuscated}: its manifest and assignments show experiment and variant keys
   * as keyed hashes. {@code rateLimitPerSecond} 0 gives it the default limit of SDK keys.
   */
  CompletionStage<Issued> issueSdkKey(
      String environment,
      String name,
      boolean obfuscated,
      int rateLimitPerSecond,
      Authenticator.Principal by);

  /** Revokes an admin token; fails with {@link PortFailure.NotFound} when there is none. */
  CompletionStage<Void> revokeToken(String id);

  CompletionStage<Void> revokeSdkKey(String id);

  /**
   * The environments SDK keys are issued for. A service without a store of its own knows the
   * defaults only.
   */
  default EnvironmentRegistry environments() {
    return EnvironmentRegistry.DEFAULTS_ONLY;
  }

  /** The webhooks announcements go to; a service without a store has none. */
  default WebhookService webhooks() {
    return WebhookService.NONE;
  }
}
