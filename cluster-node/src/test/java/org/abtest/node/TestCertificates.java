package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TEST ONLY: a throw-away certificate authority and a node certificate it signed, made with the
 * JDK's keytool for each test run and written the way a Kubernetes TLS Secret is mounted ({@code
 * tls.key}, {@code tls.crt}, {@code ca.crt}). Nothing here is, or may become, a real key.
 */
final class TestCertificates {

  private static final String PASSWORD = "test-only";

  private TestCertificates() {}

  /** A new CA in {@code dir} and a node certificate for {@code subject}, signed by that CA. */
  static Path issue(Path dir, String subject) throws Exception {
    Files.createDirectories(dir);
    String ca = dir.resolve("ca.p12").toString();
    String node = dir.resolve("node.p12").toString();
    String csr = dir.resolve("node.csr").toString();
    keytool(
        "-genkeypair",
        "-keystore",
        ca,
        "-alias",
        "ca",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=abtest test CA " + dir.getFileName(),
        "-ext",
        "bc:c",
        "-validity",
        "2");
    keytool(
        "-exportcert",
        "-rfc",
        "-keystore",
        ca,
        "-alias",
        "ca",
        "-file",
        dir.resolve("ca.crt").toString());
    keytool(
        "-genkeypair",
        "-keystore",
        node,
        "-alias",
        "node",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=" + subject,
        "-validity",
        "2");
    keytool("-certreq", "-keystore", node, "-alias", "node", "-file", csr);
    keytool(
        "-gencert",
        "-rfc",
        "-keystore",
        ca,
        "-alias",
        "ca",
        "-infile",
        csr,
        "-outfile",
        dir.resolve("tls.crt").toString(),
        "-validity",
        "2",
        "-ext",
        "san=dns:" + subject,
        "-ext",
        "eku=serverAuth,clientAuth");
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

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("keytool"));
    command.addAll(List.of(args));
    command.addAll(List.of("-storepass", PASSWORD, "-noprompt"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    assertThat(p.exitValue()).as(command + "\n" + out).isZero();
  }
}
