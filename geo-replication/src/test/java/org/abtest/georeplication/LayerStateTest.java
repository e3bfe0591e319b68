package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.abtest.protocol.experiment.SlotRange;
import org.junit.jupiter.api.Test;

class LayerStateTest {

  private final LayerState layer =
      LayerState.empty("checkout")
          .created("salt", Instant.EPOCH)
          .allocated("a", new SlotRange(0, 2000))
          .allocated("b", new SlotRange(5000, 6000));

  @Test
  void freeRangesAreTheGapsBetweenAllocations() {
    assertThat(layer.freeRanges())
        .containsExactly(new SlotRange(2000, 5000), new SlotRange(6000, 10_000));
  }

  @Test
  void anOverlapWithAnotherOwnerIsFoundButNotWithItsOwnRange() {
    assertThat(layer.overlapping("c", new SlotRange(1999, 2500))).isPresent();
    assertThat(layer.overlapping("c", new SlotRange(2000, 5000))).isEmpty();
    assertThat(layer.overlapping("a", new SlotRange(0, 3000))).isEmpty();
  }

  @Test
  void releasingFreesTheRange() {
    assertThat(layer.released("a").freeRanges()).startsWith(new SlotRange(0, 5000));
    assertThat(layer.released("a").appliedEvents()).isEqualTo(4);
  }
}
