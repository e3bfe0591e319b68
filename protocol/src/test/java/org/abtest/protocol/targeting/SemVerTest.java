package org.abtest.protocol.targeting;

import static org.abtest.protocol.targeting.Json.json;
import static org.abtest.protocol.targeting.Json.matches;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SemVerTest {

  @Test
  void comparingWithoutPaddingOrdersExactlyAsThePaddedStrings() {
    Random random = new Random(7);
    String[] pieces = {"0", "1", "9", "10", "99999", "123456", "rc", "beta", "a1", "", "~", "v"};
    String[] separators = {".", "-", "+"};
    for (int i = 0; i < 20_000; i++) {
      String a = randomVersion(random, pieces, separators);
      String b = randomVersion(random, pieces, separators);
      int expected = Integer.signum(SemVer.padded(a).compareTo(SemVer.padded(b)));
      assertThat(SemVer.compare(new TextNode(a), SemVer.padded(b)))
          .as("%s vs %s", a, b)
          .isEqualTo(expected);
    }
  }

  private static String randomVersion(Random random, String[] pieces, String[] separators) {
    StringBuilder out = new StringBuilder(random.nextInt(4) == 0 ? "v" : "");
    int parts = 1 + random.nextInt(5);
    for (int p = 0; p < parts; p++) {
      if (p > 0) {
        out.append(separators[random.nextInt(separators.length)]);
      }
      out.append(pieces[random.nextInt(pieces.length)]);
    }
    return out.length() == 0 ? "1" : out.toString();
  }

  @Test
  void paddingRightAlignsNumbersAndMarksReleasesWithTilde() {
    assertThat(SemVer.padded("1.2.3")).isEqualTo("    1-    2-    3-~");
    assertThat(SemVer.padded("v10.0.1-rc.1+build.7")).isEqualTo("   10-    0-    1-rc-    1");
    assertThat(SemVer.padded("1.2")).isEqualTo("    1-    2");
    assertThat(SemVer.padded("1.0.0-")).isEqualTo("    1-    0-    0-");
  }

  @Test
  void numbersUseTheirTextAndOtherNonStringsAreZero() {
    assertThat(SemVer.padded(json("1.5"))).isEqualTo("    1-    5");
    assertThat(SemVer.padded(json("null"))).isEqualTo(SemVer.padded("0"));
    assertThat(SemVer.padded(json("''"))).isEqualTo(SemVer.padded("0"));
    assertThat(SemVer.padded(json("true"))).isEqualTo(SemVer.padded("0"));
  }

  @ParameterizedTest(name = "{0} < {1}")
  @CsvSource({
    "0.9.99, 1.0.0",
    "0.9.0, 0.10.0",
    "9.0.0, 10.0.0",
    "1.0.0-alpha, 1.0.0",
    "1.0.0-alpha, 1.0.0-alpha.1",
    "1.0.0-alpha.1, 1.0.0-beta",
    "1.0.0-beta.2, 1.0.0-beta.11",
    "1.0.0-rc.1, 1.0.0",
    "v1.2.3, 1.2.4",
  })
  void versionsOrderNumericallyAndPreReleasesFirst(String lower, String higher) {
    assertThat(matches("{'v': {'$vlt': '" + higher + "'}}", "{'v': '" + lower + "'}")).isTrue();
    assertThat(matches("{'v': {'$vgt': '" + lower + "'}}", "{'v': '" + higher + "'}")).isTrue();
    assertThat(matches("{'v': {'$vgte': '" + higher + "'}}", "{'v': '" + lower + "'}")).isFalse();
    assertThat(matches("{'v': {'$vlte': '" + lower + "'}}", "{'v': '" + higher + "'}")).isFalse();
  }

  @Test
  void equalityIgnoresLeadingVAndBuildMetadata() {
    assertThat(matches("{'v': {'$veq': 'v1.2.3'}}", "{'v': '1.2.3+build.5'}")).isTrue();
    assertThat(matches("{'v': {'$veq': '1.2.3'}}", "{'v': '1.2.3-alpha'}")).isFalse();
    assertThat(matches("{'v': {'$vne': '1.2.3'}}", "{'v': '1.2.4'}")).isTrue();
    assertThat(matches("{'v': {'$vne': '1.2.3'}}", "{'v': 'v1.2.3'}")).isFalse();
    assertThat(matches("{'v': {'$vgte': '1.2.3', '$vlte': '1.2.3'}}", "{'v': '1.2.3'}")).isTrue();
  }

  @Test
  void aMissingVersionCountsAsZero() {
    assertThat(matches("{'v': {'$vlt': '0.0.1'}}", "{}")).isTrue();
    assertThat(matches("{'v': {'$veq': '0'}}", "{}")).isTrue();
  }
}
