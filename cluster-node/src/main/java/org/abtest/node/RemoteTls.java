package org.abtest.node;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks before the actor system starts that Artery's TLS material is there. Pekko reads the PEM
 * files only at the first connection, so a node without them would start, look healthy, and fail
 * every handshake with its peers; a clear refusal at startup is easier to act on.
 */
final class RemoteTls {

  private static final String ROTATING =
      "org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider";

  private RemoteTls() {}

  /** What is missing, naming the files and the setting; empty when nothing is. */
  static Optional<String> problem(Config config) {
    Config artery = config.getConfig("pekko.remote.artery");
    if (!artery.getString("transport").equals("tls-tcp")
        || !artery.getString("ssl.ssl-engine-provider").equals(ROTATING)) {
      return Optional.empty();
    }
    Config engine = artery.getConfig("ssl.rotating-keys-engine");
    List<String> missing = new ArrayList<>();
    for (String file : List.of("key-file", "cert-file", "ca-cert-file")) {
      Path path = Path.of(engine.getString(file));
      if (!Files.isReadable(path)) {
        missing.add(path.toString());
      }
    }
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "Artery runs over TLS (ABTEST_REMOTE_TRANSPORT=tls-tcp) but cannot read "
            + String.join(", ", missing)
            + ": mount the abtest-remote-tls Secret at ABTEST_REMOTE_TLS_DIR (docs/security.md),"
            + " or use local.conf for plain TCP on 127.0.0.1");
  }
}
