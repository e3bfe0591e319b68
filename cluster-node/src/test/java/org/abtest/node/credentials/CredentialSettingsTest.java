package org.abtest.node.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HexFormat;
import org.abtest.http.ports.Role;
import org.junit.jupiter.api.Test;

class CredentialSettingsTest {

  private static final String DEV_CREDENTIALS =
      """
      abtest.dev-credentials.admin-token = "adm_fixed"
      abtest.dev-credentials.sdk-key = "sdk_fixed"
      """;

  private static Config load(String resource, String overrides) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.parseString(overrides)
        .withFallback(ConfigFactory.parseResourcesAnySyntax(resource))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  @Test
  void productionConfigIsNotLocalModeAndLocalConfIs() {
    assertThat(CredentialSettings.from(load("application.conf", "")).localMode()).isFalse();
    assertThat(CredentialSettings.from(load("local.conf", "")).localMode()).isTrue();
  }

  @Test
  void outsideLocalModeTheBootstrapTokensFromTheEnvironmentAreRefused() {
    var settings = CredentialSettings.from(load("application.conf", DEV_CREDENTIALS));
    DevCredentials dev = settings.devCredentials();
    assertThat(dev.authenticate("adm_fixed")).isEmpty();
    assertThat(dev.authenticate("sdk_fixed")).isEmpty();
    assertThat(dev.generatedNotice()).isEmpty();
    assertThat(settings.warnings()).anyMatch(w -> w.contains("ignored outside local mode"));
  }

  @Test
  void inLocalModeTheBootstrapTokensFromTheEnvironmentAreAdmitted() {
    var settings = CredentialSettings.from(load("local.conf", DEV_CREDENTIALS));
    DevCredentials dev = settings.devCredentials();
    assertThat(dev.authenticate("adm_fixed")).contains(Role.ADMIN);
    assertThat(dev.authenticate("sdk_fixed")).contains(Role.SDK);
    assertThat(settings.warnings()).isEmpty();
  }

  @Test
  void outsideLocalModeNothingIsGeneratedEither() {
    var settings = CredentialSettings.from(load("application.conf", ""));
    assertThat(settings.devCredentials().generatedNotice()).isEmpty();
    assertThat(settings.devCredentials()).isSameAs(DevCredentials.none());
  }

  @Test
  void noCredentialsAdmitsNeitherAnEmptyNorAnyToken() {
    assertThat(DevCredentials.none().authenticate("")).isEmpty();
    assertThat(DevCredentials.none().authenticateDigest(Sha256.of(""))).isEmpty();
  }

  @Test
  void theBootstrapAdminHashIsReadFromItsSetting() {
    String hash = HexFormat.of().formatHex(Sha256.of("abt_first"));
    var settings =
        CredentialSettings.from(
            load(
                "application.conf",
                "abtest.credentials.bootstrap-admin-token-hash = \"" + hash + "\""));
    assertThat(settings.bootstrapAdmin()).contains(new BootstrapAdmin(hash));
    assertThat(settings.warnings()).isEmpty();
  }

  @Test
  void productionWithoutABootstrapAdminIsWarnedAbout() {
    var settings = CredentialSettings.from(load("application.conf", ""));
    assertThat(settings.bootstrapAdmin()).isEmpty();
    assertThat(settings.warnings()).anyMatch(w -> w.contains("ABTEST_BOOTSTRAP_ADMIN_TOKEN_HASH"));
  }
}
