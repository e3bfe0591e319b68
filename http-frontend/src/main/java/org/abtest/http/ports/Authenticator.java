package org.abtest.http.ports;

import java.util.Locale;
import java.util.Optional;

/** Resolves a bearer credential to who holds it; empty when it is unknown or revoked. */
public interface Authenticator {

  /**
   * The holder of a credential: its id and name (for the audit trail; never the secret), its role,
   * for SDK keys the environment the key belongs to, and its own rate limit in requests per second
   * (0: the default for its kind, from config).
   */
  record Principal(String id, String name, Role role, String environment, int rateLimitPerSecond) {

    public Principal(String id, String name, Role role, String environment) {
      this(id, name, role, environment, 0);
    }
  }

  Optional<Role> authenticate(String bearerToken);

  /** Who holds the credential; stores that know ids override this. */
  default Optional<Principal> identify(String bearerToken) {
    return authenticate(bearerToken)
        .map(role -> new Principal(role.name().toLowerCase(Locale.ROOT), "unnamed", role, null));
  }
}
