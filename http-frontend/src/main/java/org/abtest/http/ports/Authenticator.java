package org.abtest.http.ports;

import java.util.Locale;
import java.util.Optional;

/** Resolves a bearer credential to who holds it; empty when it is unknown or revoked. */
public interface Authenticator {

  /**
   * The holder of a credential: its id and name (for the audit trail; never the secret), its role,
   * and for SDK keys the environment the key belongs to and whether it sees experiment and variant
   * keys only as keyed hashes ({@code obfuscated}, docs/security.md "The SDK manifest").
   */
  record Principal(String id, String name, Role role, String environment, boolean obfuscated) {
    public Principal(String id, String name, Role role, String environment) {
      this(id, name, role, environment, false);
    }
  }

  Optional<Role> authenticate(String bearerToken);

  /** Who holds the credential; stores that know ids override this. */
  default Optional<Principal> identify(String bearerToken) {
    return authenticate(bearerToken)
        .map(role -> new Principal(role.name().toLowerCase(Locale.ROOT), "unnamed", role, null));
  }
}
