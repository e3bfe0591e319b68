package org.abtest.http.limits;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Which client a request without a credential counts against. Behind no proxy that is the TCP peer.
 * Behind {@code n} proxies it is the {@code n}-th address from the right of {@code
 * X-Forwarded-For}: each proxy appends the address it saw, and everything further left was written
 * by the client, who could otherwise pick a fresh address per request. (pekko-http's {@code
 * extractClientIP} takes the leftmost, which is the client's own claim.)
 */
public final class ClientAddress {

  /** Longer than any IPv6 text form; a longer "address" is cut rather than kept as a key. */
  static final int MAX_LENGTH = 64;

  private ClientAddress() {}

  public static String of(Optional<String> forwardedFor, Optional<InetAddress> peer, int hops) {
    if (hops > 0 && forwardedFor.isPresent()) {
      String[] entries = forwardedFor.get().split(",");
      if (entries.length >= hops) {
        String entry = entries[entries.length - hops].trim();
        if (!entry.isEmpty()) {
          return entry.length() > MAX_LENGTH ? entry.substring(0, MAX_LENGTH) : entry;
        }
      }
    }
    // fewer entries than proxies: the request did not come through them all, so its peer counts
    return peer.map(InetAddress::getHostAddress).orElse("unknown");
  }
}
