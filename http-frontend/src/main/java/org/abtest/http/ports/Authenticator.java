package org.abtest.http.ports;

import java.util.Locale;
import java.util.Optional;
import org.abtest.protocol.experiment.Environments;

/** Resolves a bearer credential to who holds it; empty when it is unknown or revoked. */
public interface Authenticator {

  /**
   * The holder of a credential: its id and name (for the audit trail; never the secret), its role,
   * for SDK keys the environment the key belongs to, whether it sees experiment and variant keys
   * only as keyed hashes ({@code obfuscated}, docs/security.md "The SDK manifest"), and its own
   * rate limit in requests per second (0: the default for its kind, from config).
   */
  record Principal(
      String id,
      String name,
      Role role,
      String environment,
      boolean obfuscated,
      int rateLimitPerSecond) {

    public Principal(String id, String name, Role role, String environment) {
      this(id, name, role, environment, false, 0);
    }

    /**
     * The environment whose manifest this credential sees: its own, or (an admin token, the dev
     * key) {@link Environments#DEFAULT}.
     */
    public String servedEnvironment() {
      return Environments.of(environment);
    }

    public Principal(String id, String name, Role role, String environment, boolean obfuscated) {
      this(id, name, role, environment, obfuscated, 0);
    }

    public Principal(String id, String name, Role role, String environment, int rateLimit) {
      this(id, name, role, environment, false, rateLimit);
    }
  }

  Optional<Role> authenticate(String bearerToken);

  /** Who holds the credential; stores that know ids override this. */
  default Optional<Principal> identify(String bearerToken) {
    return authenticate(bearerToken)
        .map(role -> new Principal(role.name().toLowerCase(Locale.ROOT), "unnamed", role, null));
  }
}
