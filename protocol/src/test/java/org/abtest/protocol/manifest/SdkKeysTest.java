package org.abtest.protocol.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SdkKeysTest {

  /** Known answers from Python's hmac module: hmac.new(salt, domain + ":" + value, sha256). */
  @ParameterizedTest
  @CsvSource({
    "a1b2c3, unit, user-1, 4029c00a16991af8c58ab24462366b50",
    "a1b2c3, experiment, checkout-button, 69282c3e7509bdd844a9d3fea750e117",
    "'', variant, green, 8ca0c349b13c39a14ef7f596443af5bf",
    "ünïcödé, unit, ユーザー, 3820bba281331977bf75b883f7337e9c"
  })
  void theHashIsHmacSha256OfDomainAndValueKeyedWithTheSaltTruncatedTo128Bits(
      String salt, String domain, String value, String expected) {
    assertThat(SdkKeys.keyed(salt).hash(domain, value)).isEqualTo(expected);
  }

  @Test
  void aSaltLongerThanTheHashBlockIsHashedFirstAsHmacRequires() {
    assertThat(SdkKeys.unit("k".repeat(100), "u")).isEqualTo("f2e83a818780dace875a288136cf3f09");
  }

  @Test
  void theSameValueHashesDifferentlyPerDomainAndPerSalt() {
    assertThat(SdkKeys.unit("s", "green")).isNotEqualTo(SdkKeys.variant("s", "green"));
    assertThat(SdkKeys.variant("s", "green")).isNotEqualTo(SdkKeys.experiment("s", "green"));
    assertThat(SdkKeys.unit("s1", "u")).isNotEqualTo(SdkKeys.unit("s2", "u"));
    assertThat(SdkKeys.unit("s", "u")).isEqualTo(SdkKeys.unit("s", "u"));
  }

  @Test
  void onePreparedHasherGivesTheSameAnswersFromManyThreads() throws Exception {
    SdkKeys.Keyed keyed = SdkKeys.keyed("salt");
    String expected = SdkKeys.unit("salt", "u-1");
    Thread[] threads = new Thread[4];
    boolean[] wrong = new boolean[1];
    for (int t = 0; t < threads.length; t++) {
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 5000; i++) {
                  if (!keyed.hash(SdkKeys.UNIT, "u-1").equals(expected)) {
                    wrong[0] = true;
                  }
                }
              });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(wrong[0]).isFalse();
  }

  @Test
  void onlyThirtyTwoLowercaseHexDigitsLookHashed() {
    assertThat(SdkKeys.looksHashed(SdkKeys.unit("s", "u"))).isTrue();
    assertThat(SdkKeys.looksHashed("checkout-button")).isFalse();
    assertThat(SdkKeys.looksHashed("4029C00A16991AF8C58AB24462366B50")).isFalse();
    assertThat(SdkKeys.looksHashed("4029c00a16991af8c58ab24462366b5")).isFalse();
    assertThat(SdkKeys.looksHashed(null)).isFalse();
  }
}
