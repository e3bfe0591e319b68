package org.abtest.http.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

  private static final Optional<InetAddress> PEER = Optional.of(address("10.0.0.7"));

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void withoutProxiesThePeerCountsWhateverXForwardedForClaims() {
    assertThat(ClientAddress.of(Optional.of("1.2.3.4"), PEER, 0)).isEqualTo("10.0.0.7");
  }

  @Test
  void behindOneProxyTheAddressItAppendedCountsNotTheClientsClaim() {
    assertThat(ClientAddress.of(Optional.of("6.6.6.6, 203.0.113.9"), PEER, 1))
        .isEqualTo("203.0.113.9");
  }

  @Test
  void behindTwoProxiesTheSecondFromTheRightCounts() {
    assertThat(ClientAddress.of(Optional.of("6.6.6.6,203.0.113.9, 10.1.1.1"), PEER, 2))
        .isEqualTo("203.0.113.9");
  }

  @Test
  void aRequestThatSkippedTheProxiesCountsAsItsPeer() {
    assertThat(ClientAddress.of(Optional.empty(), PEER, 1)).isEqualTo("10.0.0.7");
    assertThat(ClientAddress.of(Optional.of("203.0.113.9"), PEER, 2)).isEqualTo("10.0.0.7");
  }

  @Test
  void anOverlongEntryIsCutToABoundedKey() {
    String claim = "x".repeat(10_000);
    assertThat(ClientAddress.of(Optional.of(claim), PEER, 1)).hasSize(ClientAddress.MAX_LENGTH);
  }

  @Test
  void anUnknownPeerIsOneSharedKey() {
    assertThat(ClientAddress.of(Optional.empty(), Optional.empty(), 0)).isEqualTo("unknown");
  }
}
