package org.abtest.http.routes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A credential offered as a WebSocket subprotocol, {@code abtest.bearer.<token as unpadded
 * base64url>}: browsers can set no header on a socket but this one, and a URL ends up in logs.
 * Base64url keeps any token within the characters a subprotocol may use.
 */
public final class WebSocketBearer {

  public static final String PREFIX = "abtest.bearer.";

  private WebSocketBearer() {}

  /** The token of the first bearer offer; empty when there is none or it does not decode. */
  public static Optional<String> token(List<String> offered) {
    for (String protocol : offered) {
      String trimmed = protocol.trim();
      if (trimmed.startsWith(PREFIX)) {
        try {
          byte[] token = Base64.getUrlDecoder().decode(trimmed.substring(PREFIX.length()));
          return Optional.of(new String(token, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notBase64) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** As {@link #token(List)}, from a {@code Sec-WebSocket-Protocol} header's value. */
  public static Optional<String> token(String secWebSocketProtocol) {
    return token(Arrays.asList(secWebSocketProtocol.split(",")));
  }
}
