package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class RegionsTest {

  private static Regions of(String hocon) {
    return Regions.from(ConfigFactory.parseString(hocon));
  }

  @Test
  void withoutRegionsListedThisRegionIsAloneAndItsOwnLayerHome() {
    Regions regions = of("region = eu");
    assertThat(regions.all()).containsExactly("eu");
    assertThat(regions.layerHome()).isEqualTo("eu");
    assertThat(regions.multiRegion()).isFalse();
    assertThat(regions.isLayerHome()).isTrue();
    assertThat(regions.others()).isEmpty();
  }

  @Test
  void anEmptyListIsThisRegionAlone() {
    assertThat(of("region = eu, regions = []")).isEqualTo(Regions.single("eu"));
  }

  @Test
  void listedRegionsKeepTheirConfiguredOrderAndTheFirstWritesLayers() {
    Regions regions = of("region = us, regions = [eu, us, ap]");
    assertThat(regions.all()).containsExactly("eu", "us", "ap");
    assertThat(regions.layerHome()).isEqualTo("eu");
    assertThat(regions.multiRegion()).isTrue();
    assertThat(regions.isLayerHome()).isFalse();
    assertThat(regions.others()).containsExactly("eu", "ap");
  }

  @Test
  void aListWithoutThisRegionIsRefusedNamingBoth() {
    assertThatThrownBy(() -> of("region = us, regions = [eu, ap]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("abtest.regions")
        .hasMessageContaining("'us'");
  }
}
