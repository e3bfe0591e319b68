package org.abtest.node;

import static org.abtest.node.ExperimentsIT.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.abtest.deploy.testing.RealServers;
import org.abtest.node.credentials.BootstrapAdmin;
import org.abtest.node.credentials.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node outside local mode on the real Cassandra: the environment's dev credentials are refused,
 * the first admin comes from its hash, and once revoked it stays revoked, also on a node started
 * afterwards with the same setting.
 */
@ExtendWith(RealServers.class)
class BootstrapCredentialsIT {

  @Test
  void outsideLocalModeOnlyTheBootstrapAdminIsAdmittedAndItsRevocationSurvivesARestart()
      throws Exception {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String first = "abt_" + HexFormat.of().formatHex(secret);
    String hash = HexFormat.of().formatHex(Sha256.of(first));
    String id = new BootstrapAdmin(hash).id();
    String production =
        """
        abtest.local-mode = false
        abtest.credentials.bootstrap-admin-token-hash = "%s"
        """
            .formatted(hash);
    String ops;
    try (TestNode node = TestNode.start("bootstrap_it", production)) {
      // TestNode hands the node dev credentials, as an operator might by mistake: refused
      assertThat(node.call("GET", "/v1/me", TestNode.ADMIN, null).status()).isEqualTo(401);
      assertThat(node.call("GET", "/v1/me", TestNode.SDK, null).status()).isEqualTo(401);

      var me = eventually(() -> node.call("GET", "/v1/me", first, null), r -> r.status() == 200);
      assertThat(me.body().get("role").asText()).isEqualTo("admin");
      assertThat(me.body().get("id").asText()).isEqualTo(id);

      var issued =
          node.call("POST", "/v1/tokens", first, "{\"role\": \"admin\", \"name\": \"ops\"}");
      assertThat(issued.status()).isEqualTo(201);
      ops = issued.body().get("token").asText();
      assertThat(node.call("DELETE", "/v1/tokens/" + id, ops, null).status()).isEqualTo(204);
      assertThat(node.call("GET", "/v1/me", first, null).status()).isEqualTo(401);
      // revoked once is revoked: a second revocation finds no active token
      assertThat(node.call("DELETE", "/v1/tokens/" + id, ops, null).status()).isEqualTo(404);
    }
    try (TestNode node = TestNode.start("bootstrap_it", production)) {
      // once the table has been read back (the ops token is admitted), the first token is not
      eventually(() -> node.call("GET", "/v1/me", ops, null), r -> r.status() == 200);
      assertThat(node.call("GET", "/v1/me", first, null).status()).isEqualTo(401);
      Thread.sleep(
          2_000); // not a poll, a wait for nothing to change: a few refresh intervals, and the
      // start-up store has had its chance
      assertThat(node.call("GET", "/v1/me", first, null).status()).isEqualTo(401);
    }
  }
}
