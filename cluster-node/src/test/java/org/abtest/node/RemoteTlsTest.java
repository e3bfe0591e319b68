package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteTlsTest {

  private static Config load(String resource, String overrides) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.load(
        ConfigFactory.parseString(overrides)
            .withFallback(ConfigFactory.parseResourcesAnySyntax(resource)));
  }

  private static String mountedAt(Path dir) {
    return "pekko.remote.artery.ssl.rotating-keys-engine.secret-mount-point = \"" + dir + "\"";
  }

  @Test
  void aTlsNodeWithoutItsSecretIsRefusedNamingTheMissingFiles(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("tls.crt"), "x");
    var problem = RemoteTls.problem(load("application.conf", mountedAt(dir)));
    assertThat(problem).isPresent();
    assertThat(problem.get())
        .contains(dir.resolve("tls.key").toString())
        .contains(dir.resolve("ca.crt").toString())
        .doesNotContain(dir.resolve("tls.crt").toString())
        .contains("ABTEST_REMOTE_TLS_DIR");
  }

  @Test
  void aTlsNodeWithAllThreeFilesStarts(@TempDir Path dir) throws Exception {
    for (String file : new String[] {"tls.key", "tls.crt", "ca.crt"}) {
      Files.writeString(dir.resolve(file), "x");
    }
    assertThat(RemoteTls.problem(load("application.conf", mountedAt(dir)))).isEmpty();
  }

  @Test
  void aPlainTcpNodeNeedsNoCertificates(@TempDir Path dir) {
    assertThat(RemoteTls.problem(load("local.conf", mountedAt(dir)))).isEmpty();
  }
}
