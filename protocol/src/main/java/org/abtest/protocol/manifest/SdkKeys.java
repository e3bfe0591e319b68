package org.abtest.protocol.manifest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The keyed hash of the SDK manifest: {@code hex(HMAC-SHA256(key = salt, message = domain + ":" +
 * value))} truncated to 128 bits (32 lowercase hex digits), with the experiment's salt as the key.
 * The SDK has the salt (it needs it to bucket), so it can compute the same hash for a unit id or a
 * key it is asked about; a reader of the manifest cannot read ids or keys back, but can test a
 * guess (see docs/security.md, "The SDK manifest"). The domain keeps a unit id that happens to
 * equal a variant key from hashing to the same value.
 */
public final class SdkKeys {

  public static final String UNIT = "unit";
  public static final String EXPERIMENT = "experiment";
  public static final String VARIANT = "variant";

  /** Hex digits of a hash: 128 bits. */
  public static final int LENGTH = 32;

  private SdkKeys() {}

  /** The hash of a unit id as the overrides of an SDK manifest hold it. */
  public static String unit(String salt, String unit) {
    return keyed(salt).hash(UNIT, unit);
  }

  public static String experiment(String salt, String key) {
    return keyed(salt).hash(EXPERIMENT, key);
  }

  public static String variant(String salt, String key) {
    return keyed(salt).hash(VARIANT, key);
  }

  /** Whether a string has the shape of a hash (it may still be a real key of that shape). */
  public static boolean looksHashed(String s) {
    if (s == null || s.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** A hasher for one salt, prepared once (the key schedule) and used for many values. */
  public static Keyed keyed(String salt) {
    return new Keyed(salt);
  }

  /**
   * HMAC-SHA256 (RFC 2104) with the key's two padded blocks absorbed once: each hash then copies
   * two SHA-256 states and runs two compressions instead of four (SDKs hash a unit once per
   * experiment with overrides, on every evaluation). Thread-safe: each hash works on copies.
   */
  public static final class Keyed {
    private static final int BLOCK = 64;
    private final MessageDigest inner;
    private final MessageDigest outer;

    private Keyed(String salt) {
      byte[] key = (salt == null ? "" : salt).getBytes(StandardCharsets.UTF_8);
      if (key.length > BLOCK) {
        key = sha256().digest(key);
      }
      byte[] ipad = new byte[BLOCK];
      byte[] opad = new byte[BLOCK];
      for (int i = 0; i < BLOCK; i++) {
        byte k = i < key.length ? key[i] : 0;
        ipad[i] = (byte) (k ^ 0x36);
        opad[i] = (byte) (k ^ 0x5c);
      }
      this.inner = sha256();
      inner.update(ipad);
      this.outer = sha256();
      outer.update(opad);
    }

    public String hash(String domain, String value) {
      MessageDigest in = copy(inner);
      in.update(domain.getBytes(StandardCharsets.UTF_8));
      in.update((byte) ':');
      byte[] innerHash = in.digest(value.getBytes(StandardCharsets.UTF_8));
      byte[] digest = copy(outer).digest(innerHash);
      return HexFormat.of().formatHex(digest, 0, LENGTH / 2);
    }

    private static MessageDigest copy(MessageDigest prepared) {
      try {
        return (MessageDigest) prepared.clone();
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException("this JVM's SHA-256 cannot be copied", e);
      }
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JVM", e);
      }
    }
  }
}
