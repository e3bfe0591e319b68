package org.abtest.protocol.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import org.abtest.protocol.manifest.SdkKeys;
import org.abtest.protocol.manifest.SdkView;
import org.junit.jupiter.api.Test;

class SdkKeyLookupTest {

  private static SdkKeyLookup lookup() {
    return new SdkKeyLookup(SdkView.of(AssignmentPropertiesTest.mixed(), true));
  }

  @Test
  void aRealKeyIsFoundByItsHashWithTheExperimentsOwnSalt() {
    SdkKeyLookup lookup = lookup();
    assertThat(lookup.experiment("search-a"))
        .isEqualTo(SdkKeys.experiment("salt-search-a", "search-a"));
    assertThat(lookup.variant("search-a", "v2")).isEqualTo(SdkKeys.variant("salt-search-a", "v2"));
    assertThat(lookup.experiment("no-such-experiment")).isNull();
    assertThat(lookup.variant("no-such-experiment", "v1")).isNull();
  }

  @Test
  void pastTheLimitOfRememberedKeysLookupsStayRightAndNothingMoreIsKept() {
    SdkKeyLookup lookup = lookup();
    for (int i = 0; i < SdkKeyLookup.MAX_REMEMBERED + 500; i++) {
      assertThat(lookup.experiment("unknown-" + i)).isNull();
    }
    assertThat(lookup.remembered()).isEqualTo(SdkKeyLookup.MAX_REMEMBERED);
    assertThat(lookup.experiment("flag")).isEqualTo(SdkKeys.experiment("salt-flag", "flag"));
    assertThat(lookup.remembered()).isEqualTo(SdkKeyLookup.MAX_REMEMBERED);
  }
}
