package org.abtest.http;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.CredentialService;
import org.abtest.http.ports.EnvironmentRegistry;
import org.abtest.http.ports.PortFailure;
import org.abtest.http.ports.Role;
import org.abtest.http.ports.WebhookService;

/** Credentials in memory: issued ones authenticate at once, revoked ones stop at once. */
final class FakeCredentials implements Authenticator, CredentialService {

  final Map<String, Role> known = new ConcurrentHashMap<>();
  private final Map<String, Principal> issued = new ConcurrentHashMap<>();
  private final Map<String, String> secretsById = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  final FakeEnvironments environments = new FakeEnvironments();

  @Override
  public EnvironmentRegistry environments() {
    return environments;
  }

  final FakeWebhooks webhooks = new FakeWebhooks();

  @Override
  public WebhookService webhooks() {
    return webhooks;
  }

  @Override
  public Optional<Role> authenticate(String bearerToken) {
    return Optional.ofNullable(known.get(bearerToken));
  }

  /** Issued credentials are themselves, with their id and limit; the fixed ones share by role. */
  @Override
  public Optional<Principal> identify(String bearerToken) {
    Principal principal = issued.get(bearerToken);
    if (principal != null && known.containsKey(bearerToken)) {
      return Optional.of(principal);
    }
    return Authenticator.super.identify(bearerToken);
  }

  @Override
  public CompletionStage<Issued> issueToken(Role role, String name, Principal by) {
    return issue("tok-", "adm_", role, null, name, 0);
  }

  @Override
  public CompletionStage<Issued> issueSdkKey(
      String environment, String name, boolean obfuscated, int rateLimitPerSecond, Principal by) {
    return issue("key-", "sdk_", Role.SDK, environment, name, rateLimitPerSecond);
  }

  private CompletionStage<Issued> issue(
      String idPrefix,
      String secretPrefix,
      Role role,
      String environment,
      String name,
      int rateLimitPerSecond) {
    String id = idPrefix + ids.incrementAndGet();
    String secret = secretPrefix + id + "-secret";
    known.put(secret, role);
    issued.put(secret, new Principal(id, name, role, environment, rateLimitPerSecond));
    secretsById.put(id, secret);
    return CompletableFuture.completedFuture(
        new Issued(
            id, secret, idPrefix, role, environment, name, Instant.EPOCH, rateLimitPerSecond));
  }

  @Override
  public CompletionStage<Void> revokeToken(String id) {
    return revoke(id, "tok-");
  }

  @Override
  public CompletionStage<Void> revokeSdkKey(String id) {
    return revoke(id, "key-");
  }

  private CompletionStage<Void> revoke(String id, String prefix) {
    String secret = id.startsWith(prefix) ? secretsById.remove(id) : null;
    if (secret == null) {
      return CompletableFuture.failedFuture(PortFailure.notFound("no credential " + id));
    }
    known.remove(secret);
    return CompletableFuture.completedFuture(null);
  }
}
