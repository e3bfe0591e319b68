package org.abtest.node.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a credential, computed once per request: every request presents one, so the digest
 * instance is kept per thread rather than looked up from the providers each time.
 */
public final class Sha256 {

  private static final ThreadLocal<MessageDigest> DIGEST =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
          });

  private Sha256() {}

  public static byte[] of(String secret) {
    // digest() resets the instance, so a failure halfway leaves nothing behind for the next call
    return DIGEST.get().digest(secret.getBytes(StandardCharsets.UTF_8));
  }
}
