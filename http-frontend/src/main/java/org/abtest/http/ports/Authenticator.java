package org.abtest.http.ports;

import java.util.Optional;

/** Resolves a bearer credential to its role; empty when it is unknown or revoked. */
public interface Authenticator {
  Optional<Role> authenticate(String bearerToken);
}
