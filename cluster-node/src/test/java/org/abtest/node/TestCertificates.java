package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TEST ONLY: throw-away certificate authorities and node certificates they signed, made with the
 * JDK's keytool for each test run and written the way a Kubernetes TLS Secret is mounted ({@code
 * tls.key}, {@code tls.crt}, {@code ca.crt}). Nothing here is, or may become, a real key.
 */
final class TestCertificates {

  private static final String PASSWORD = "test-only";

  private TestCertificates() {}

  /** A new CA in {@code dir} and a node certificate for {@code subject}, signed by that CA. */
  static Path issue(Path dir, String subject) throws Exception {
    return node(authority(dir), dir, subject);
  }

  /** A new CA: its key store and {@code ca.crt} in {@code dir}. */
  static Path authority(Path dir) throws Exception {
    Files.createDirectories(dir);
    String ca = dir.resolve("ca.p12").toString();
    keytool(
        "-genkeypair -alias ca -keyalg RSA -keysize 2048 -ext bc:c -validity 2",
        "-keystore",
        ca,
        "-dname",
        "CN=abtest test CA " + dir.getFileName());
    keytool(
        "-exportcert -rfc -alias ca", "-keystore", ca, "-file", dir.resolve("ca.crt").toString());
    return dir;
  }

  /**
   * In {@code dir}, the Secret's three files for {@code subject}, signed by the CA in {@code ca}.
   */
  static Path node(Path ca, Path dir, String subject) throws Exception {
    Files.createDirectories(dir);
    String node = dir.resolve("node.p12").toString();
    String csr = dir.resolve("node.csr").toString();
    keytool(
        "-genkeypair -alias node -keyalg RSA -keysize 2048 -validity 2",
        "-keystore",
        node,
        "-dname",
        "CN=" + subject);
    keytool("-certreq -alias node", "-keystore", node, "-file", csr);
    keytool(
        "-gencert -rfc -alias ca -validity 2 -ext eku=serverAuth,clientAuth",
        "-keystore",
        ca.resolve("ca.p12").toString(),
        "-infile",
        csr,
        "-outfile",
        dir.resolve("tls.crt").toString(),
        "-ext",
        "san=dns:" + subject);
    if (!ca.equals(dir)) {
      Files.copy(ca.resolve("ca.crt"), dir.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(Path.of(node))) {
      store.load(in, PASSWORD.toCharArray());
    }
    Key key = store.getKey("node", PASSWORD.toCharArray());
    // PKCS#8, unencrypted: what the rotating-keys engine (pekko-pki) reads
    Files.writeString(
        dir.resolve("tls.key"),
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    return dir;
  }

  /** Runs keytool with its fixed {@code flags} (space-separated) and the {@code values}. */
  private static void keytool(String flags, String... values) throws Exception {
    List<String> command = new ArrayList<>(List.of("keytool"));
    command.addAll(List.of(flags.split(" ")));
    command.addAll(List.of(values));
    command.addAll(List.of("-storepass", PASSWORD, "-noprompt"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    assertThat(p.exitValue()).as(command + "\n" + out).isZero();
  }
}
