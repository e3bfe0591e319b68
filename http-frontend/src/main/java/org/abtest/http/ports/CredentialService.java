package org.abtest.http.ports;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Admin tokens and SDK keys (API.md, Credentials). A secret exists only in the reply that issues
 * it; the store keeps its hash. Stages fail with {@link org.abtest.http.ApiError}.
 */
public interface CredentialService {

  /** A newly issued credential; {@code secret} is shown this once. */
  record Issued(
      String id,
      String secret,
      String kind,
      Role role,
      String environment,
      String name,
      Instant createdAt) {}

  CompletionStage<Issued> issueToken(Role role, String name, Authenticator.Principal by);

  CompletionStage<Issued> issueSdkKey(String environment, String name, Authenticator.Principal by);

  /**
   * An SDK key whose manifest and assignments show experiment and variant keys as keyed hashes when
   * {@code obfuscated}. A store that cannot keep the flag refuses such a key rather than issue one
   * that would see keys in clear.
   */
  default CompletionStage<Issued> issueSdkKey(
      String environment, String name, boolean obfuscated, Authenticator.Principal by) {
    if (obfuscated) {
      return java.util.concurrent.CompletableFuture.failedFuture(
          org.abtest.http.ApiError.badRequest(
              "unsupported", "this node cannot issue obfuscated SDK keys", "obfuscated"));
    }
    return issueSdkKey(environment, name, by);
  }

  /** Revokes an admin token; fails with 404 when there is no such token. */
  CompletionStage<Void> revokeToken(String id);

  CompletionStage<Void> revokeSdkKey(String id);
}
