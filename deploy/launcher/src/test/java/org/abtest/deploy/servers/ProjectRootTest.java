package org.abtest.deploy.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectRootTest {

  @TempDir Path tmp;

  private Path checkout() throws Exception {
    Path root = tmp.resolve("repo");
    Files.createDirectories(root.resolve("deploy/launcher"));
    Files.writeString(root.resolve("deploy/launcher/pom.xml"), "<project/>");
    Files.createDirectories(root.resolve("cluster-node/src"));
    return root;
  }

  @Test
  void walksUpFromAModuleDirectory() throws Exception {
    Path root = checkout();
    assertThat(ProjectRoot.find(null, null, root.resolve("cluster-node/src"))).isEqualTo(root);
  }

  @Test
  void thePropertyWinsOverTheEnvironment() throws Exception {
    Path root = checkout();
    assertThat(ProjectRoot.find(root.toString(), "/nowhere", tmp)).isEqualTo(root);
    assertThat(ProjectRoot.find(null, root.toString(), tmp)).isEqualTo(root);
  }

  @Test
  void aWrongSettingOrNoCheckoutIsAClearError() throws Exception {
    assertThatThrownBy(() -> ProjectRoot.find(tmp.toString(), null, tmp))
        .hasMessageContaining("system property abtest.root points at");
    assertThatThrownBy(() -> ProjectRoot.find(null, null, tmp))
        .hasMessageContaining("Cannot find the abtest repository root");
  }
}
