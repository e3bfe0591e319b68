package org.abtest.node.webhooks;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Abtest-Signature} of a delivery: {@code sha256=} and the lowercase hex HMAC-SHA256
 * of the exact body bytes, keyed with the webhook's secret (UTF-8). A receiver recomputes it over
 * the bytes it got and compares in constant time.
 */
public final class WebhookSignature {

  public static final String HEADER = "X-Abtest-Signature";

  private WebhookSignature() {}

  public static String of(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
