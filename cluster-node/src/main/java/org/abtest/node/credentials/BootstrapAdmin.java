package org.abtest.node.credentials;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The first admin token of a production deployment, given as the SHA-256 of a secret the operator
 * generated ({@code ABTEST_BOOTSTRAP_ADMIN_TOKEN_HASH}): the node never sees the secret itself and
 * stores the hash once as an ordinary, revocable admin token. Its id is derived from the hash, so
 * every node and every restart name the same row, and a revoked first token stays revoked.
 */
public record BootstrapAdmin(String secretHash) {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  /** The name the token is listed under. */
  public static final String NAME = "bootstrap admin";

  public BootstrapAdmin {
    if (!SHA256_HEX.matcher(secretHash).matches()) {
      throw new IllegalArgumentException(
          "abtest.credentials.bootstrap-admin-token-hash must be the 64 hex digits of a SHA-256"
              + " (printf %s \"$TOKEN\" | sha256sum), got "
              + secretHash.length()
              + " characters");
    }
  }

  /** Empty when the setting is blank; refused when it is not a SHA-256 in hex. */
  public static Optional<BootstrapAdmin> parse(String setting) {
    String trimmed = setting.trim().toLowerCase(Locale.ROOT);
    return trimmed.isEmpty() ? Optional.empty() : Optional.of(new BootstrapAdmin(trimmed));
  }

  /**
   * Like every token id, "tok_" and 16 hex digits; not the hash's own (ids are shown and logged).
   */
  public String id() {
    byte[] digest = Sha256.of("abtest-bootstrap-admin/" + secretHash);
    return "tok_" + HexFormat.of().formatHex(digest, 0, 8);
  }
}
