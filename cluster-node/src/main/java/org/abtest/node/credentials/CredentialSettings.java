package org.abtest.node.credentials;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which credentials a node admits besides the revocable ones in its credentials table. In local
 * mode ({@code abtest.local-mode}, set by local.conf only) the dev credentials from the environment
 * work as well. Anywhere else they are ignored, because nothing could revoke them: production's
 * first admin is {@link BootstrapAdmin}, stored as an ordinary token.
 */
public record CredentialSettings(
    boolean localMode,
    String devAdminToken,
    String devSdkKey,
    Optional<BootstrapAdmin> bootstrapAdmin) {

  public static CredentialSettings from(Config config) {
    Config abtest = config.getConfig("abtest");
    return new CredentialSettings(
        abtest.getBoolean("local-mode"),
        abtest.getString("dev-credentials.admin-token"),
        abtest.getString("dev-credentials.sdk-key"),
        BootstrapAdmin.parse(abtest.getString("credentials.bootstrap-admin-token-hash")));
  }

  /** The dev credentials in local mode; outside it, credentials that admit nobody. */
  public DevCredentials devCredentials() {
    return localMode ? new DevCredentials(devAdminToken, devSdkKey) : DevCredentials.none();
  }

  /** What an operator should hear about at startup. */
  public List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    if (!localMode && !(devAdminToken.isBlank() && devSdkKey.isBlank())) {
      warnings.add(
          "ABTEST_ADMIN_TOKEN / ABTEST_SDK_KEY are ignored outside local mode (they could never"
              + " be revoked); set ABTEST_BOOTSTRAP_ADMIN_TOKEN_HASH for the first admin token");
    }
    if (!localMode && bootstrapAdmin.isEmpty()) {
      warnings.add(
          "no ABTEST_BOOTSTRAP_ADMIN_TOKEN_HASH: only tokens already in the credentials table"
              + " are admitted");
    }
    return warnings;
  }
}
