package org.abtest.http.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.abtest.http.limits.StreamPermits.Permit;
import org.abtest.http.limits.StreamPermits.Refused;
import org.junit.jupiter.api.Test;

class StreamPermitsTest {

  @Test
  void aCredentialOverItsCapIsRefusedWhileAnotherStillGetsAStream() {
    StreamPermits permits = new StreamPermits(100);
    assertThat(permits.acquire("results", "a", 2)).isInstanceOf(Permit.class);
    assertThat(permits.acquire("results", "a", 2)).isInstanceOf(Permit.class);
    assertThat(permits.acquire("results", "a", 2)).isEqualTo(new Refused("credential", 2));
    assertThat(permits.acquire("results", "b", 2)).isInstanceOf(Permit.class);
  }

  @Test
  void theNodeCapCountsEveryKindAndCredential() {
    StreamPermits permits = new StreamPermits(3);
    permits.acquire("results", "a", 10);
    permits.acquire("manifest", "a", 10);
    permits.acquire("manifest", "b", 10);
    assertThat(permits.acquire("results", "c", 10)).isEqualTo(new Refused("node", 3));
    assertThat(permits.open()).isEqualTo(3);
  }

  @Test
  void kindsHaveSeparateCapsPerCredential() {
    StreamPermits permits = new StreamPermits(10);
    assertThat(permits.acquire("results", "a", 1)).isInstanceOf(Permit.class);
    assertThat(permits.acquire("manifest", "a", 1)).isInstanceOf(Permit.class);
    assertThat(permits.open("results", "a")).isEqualTo(1);
  }

  @Test
  void aReleasedPermitMakesRoomAgainAndASecondReleaseChangesNothing() {
    StreamPermits permits = new StreamPermits(10);
    Permit first = (Permit) permits.acquire("results", "a", 1);
    assertThat(permits.acquire("results", "a", 1)).isInstanceOf(Refused.class);
    first.release();
    first.release();
    assertThat(permits.open()).isZero();
    assertThat(permits.acquire("results", "a", 1)).isInstanceOf(Permit.class);
    assertThat(permits.open()).isEqualTo(1);
  }
}
