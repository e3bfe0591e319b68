package org.abtest.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class StateBudgetConfigTest {

  private static final long GIB = 1L << 30;

  private static long budget(String value, long heap) {
    return AggregationConfig.stateBudgetBytes(
        ConfigFactory.parseString("state-budget = \"" + value + "\""), heap);
  }

  @Test
  void aPercentageIsThatShareOfTheHeap() {
    assertThat(budget("50%", GIB)).isEqualTo(GIB / 2);
    assertThat(budget("12.5 %", 8 * GIB)).isEqualTo(GIB);
  }

  @Test
  void aSizeIsTakenAsIs() {
    assertThat(budget("512MiB", GIB)).isEqualTo(512L << 20);
  }

  @Test
  void aShareOutsideZeroToAHundredPercentIsRefusedByName() {
    assertThatThrownBy(() -> budget("0%", GIB)).hasMessageContaining("state-budget");
    assertThatThrownBy(() -> budget("150%", GIB)).hasMessageContaining("state-budget");
    assertThatThrownBy(() -> budget("half%", GIB)).hasMessageContaining("state-budget");
  }
}
