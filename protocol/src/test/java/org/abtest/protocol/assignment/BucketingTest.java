package org.abtest.protocol.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BucketingTest {

  // Known answers from DESIGN.md §3 (normative).
  @ParameterizedTest(name = "{0} / {1} -> {2} ({3})")
  @CsvSource(
      value = {
        "a1b2c3|user-1|2d4ae4cb|1769",
        "a1b2c3|user-2|d1b5431b|8191",
        "checkout-7f3e|42|c211534f|7580",
        "layer-x|alice|268752b1|1505",
        "ünïcödé|ユーザー|853fdd2b|5205",
        "''|''|4a6b5e4f|2907"
      },
      delimiter = '|')
  void hashAndBucketMatchTheNormativeKnownAnswers(
      String salt, String unit, String hexHash, int bucket) {
    assertThat(Long.toHexString(Bucketing.hash(salt, unit))).isEqualTo(hexHash);
    assertThat(Bucketing.bucket(salt, unit)).isEqualTo(bucket);
  }
}
