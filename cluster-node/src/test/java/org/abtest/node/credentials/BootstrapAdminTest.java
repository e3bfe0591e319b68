package org.abtest.node.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BootstrapAdminTest {

  private static final String HASH = HexFormat.of().formatHex(Sha256.of("abt_first-admin"));

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void aBlankSettingMeansNoBootstrapAdmin(String setting) {
    assertThat(BootstrapAdmin.parse(setting)).isEmpty();
  }

  @Test
  void theHashIsTakenInEitherCaseAndWithoutSurroundingSpace() {
    assertThat(BootstrapAdmin.parse("  " + HASH.toUpperCase() + "\n"))
        .contains(new BootstrapAdmin(HASH));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abt_the-token-itself",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
        "g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      })
  void aSettingThatIsNotASha256InHexIsRefused(String setting) {
    assertThatThrownBy(() -> BootstrapAdmin.parse(setting))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bootstrap-admin-token-hash")
        // the message must not echo what may be a secret pasted by mistake
        .hasMessageNotContaining(setting);
  }

  @Test
  void theIdIsStableLooksLikeAnyTokenIdAndRevealsNoneOfTheHash() {
    BootstrapAdmin admin = new BootstrapAdmin(HASH);
    assertThat(admin.id()).isEqualTo(new BootstrapAdmin(HASH).id()).matches("tok_[0-9a-f]{16}");
    assertThat(HASH).doesNotContain(admin.id().substring(4));
  }

  @Test
  void twoSecretsGetTwoIds() {
    String other = HexFormat.of().formatHex(Sha256.of("abt_another"));
    assertThat(new BootstrapAdmin(HASH).id()).isNotEqualTo(new BootstrapAdmin(other).id());
  }
}
