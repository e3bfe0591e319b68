package org.abtest.node.credentials;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.Role;

/**
 * Local/dev mode credentials: one admin token and one SDK key, from the environment or generated at
 * startup. Only their SHA-256 digests are kept, and comparison is constant-time. They cannot be
 * revoked, so outside local mode the node uses {@link #none()} ({@link CredentialSettings}).
 */
public final class DevCredentials implements Authenticator {

  private final byte[] adminDigest;
  private final byte[] sdkDigest;
  private final String generatedAdmin;
  private final String generatedSdk;

  private static final DevCredentials NONE = new DevCredentials();

  /** Admits nobody: what a node outside local mode has instead. */
  public static DevCredentials none() {
    return NONE;
  }

  private DevCredentials() {
    this.adminDigest = null;
    this.sdkDigest = null;
    this.generatedAdmin = null;
    this.generatedSdk = null;
  }

  public DevCredentials(String adminToken, String sdkKey) {
    this.generatedAdmin = adminToken.isBlank() ? generate("adm_") : null;
    this.generatedSdk = sdkKey.isBlank() ? generate("sdk_") : null;
    this.adminDigest = Sha256.of(generatedAdmin != null ? generatedAdmin : adminToken);
    this.sdkDigest = Sha256.of(generatedSdk != null ? generatedSdk : sdkKey);
  }

  @Override
  public Optional<Role> authenticate(String bearerToken) {
    return authenticateDigest(Sha256.of(bearerToken));
  }

  /** As {@link #authenticate}, for a caller that already has the token's SHA-256. */
  public Optional<Role> authenticateDigest(byte[] presented) {
    if (adminDigest == null) {
      return Optional.empty();
    }
    if (MessageDigest.isEqual(presented, adminDigest)) {
      return Optional.of(Role.ADMIN);
    }
    if (MessageDigest.isEqual(presented, sdkDigest)) {
      return Optional.of(Role.SDK);
    }
    return Optional.empty();
  }

  /** The credentials that were generated rather than configured, to be printed once. */
  public Optional<String> generatedNotice() {
    if (generatedAdmin == null && generatedSdk == null) {
      return Optional.empty();
    }
    var notice =
        new StringBuilder(
            "Generated dev credentials (set ABTEST_ADMIN_TOKEN / ABTEST_SDK_KEY to fix them):");
    if (generatedAdmin != null) {
      notice.append("\n  admin token: ").append(generatedAdmin);
    }
    if (generatedSdk != null) {
      notice.append("\n  SDK key:     ").append(generatedSdk);
    }
    return Optional.of(notice.toString());
  }

  private static String generate(String prefix) {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return prefix + HexFormat.of().formatHex(bytes);
  }
}
