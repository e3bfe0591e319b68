package org.abtest.protocol.manifest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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

  private static final String ALGORITHM = "HmacSHA256";

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

  /** Thread-safe: each hash works on its own copy of the prepared MAC. */
  public static final class Keyed {
    private final Mac prepared;

    private Keyed(String salt) {
      this.prepared = newMac(salt == null ? "" : salt);
    }

    public String hash(String domain, String value) {
      Mac mac = copy();
      mac.update(domain.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) ':');
      byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, LENGTH / 2);
    }

    private Mac copy() {
      try {
        return (Mac) prepared.clone();
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException("this JVM's HMAC cannot be copied", e);
      }
    }

    private static Mac newMac(String salt) {
      try {
        Mac mac = Mac.getInstance(ALGORITHM);
        // An empty salt is legal in the bucketing spec, but not as an HMAC key spec: one zero
        // byte is the same HMAC key (keys are zero-padded to the block size).
        byte[] key = salt.getBytes(StandardCharsets.UTF_8);
        mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, ALGORITHM));
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
      }
    }
  }
}
