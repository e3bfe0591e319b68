package org.abtest.deploy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItStateTest {

  private final long me = ProcessHandle.current().pid();

  @Test
  void survivesAWriteAndReadThroughTheFile(@TempDir Path tmp) throws Exception {
    ItState state =
        new ItState(
            11, 22, 33, 44, "127.0.0.1", 29042, "datacenter1", "127.0.0.1:29092", true, null);
    state.write(tmp.resolve("state.properties"));
    assertThat(ItState.read(tmp.resolve("state.properties"))).contains(state);
  }

  @Test
  void aFailureKeepsItsMultiLineReason() {
    ItState failed = ItState.failed(1, 2, "Cassandra died\n---- last 2 lines\nboom");
    assertThat(ItState.parse(failed.render())).contains(failed);
  }

  @Test
  void garbageOrAMissingFileIsNoState(@TempDir Path tmp) {
    assertThat(ItState.parse("supervisorPid=abc")).isEmpty();
    assertThat(ItState.parse("")).isEmpty();
    assertThat(ItState.read(tmp.resolve("missing"))).isEmpty();
  }

  @Test
  void serversAreReusedOnlyByTheSameBuildWhileTheyLive() {
    ItState live = new ItState(me, 7, me, me, "127.0.0.1", 1, "dc", "b", true, null);
    assertThat(ItServersClient.reusable(live, 7)).isTrue();
    assertThat(ItServersClient.reusable(live, 8)).as("another Maven build").isFalse();
    ItState notReady = new ItState(me, 7, me, me, "127.0.0.1", 1, "dc", "b", false, null);
    assertThat(ItServersClient.reusable(notReady, 7)).isFalse();
    ItState deadKafka =
        new ItState(me, 7, me, Long.MAX_VALUE, "127.0.0.1", 1, "dc", "b", true, null);
    assertThat(ItServersClient.reusable(deadKafka, 7)).isFalse();
  }

  @Test
  void recognisesTheMavenLauncher() {
    assertThat(
            ItServersClient.isMaven(
                "/usr/lib/jvm/java-17/bin/java -classpath /usr/share/maven/boot/plexus-classworlds-2.6.0.jar"
                    + " org.codehaus.plexus.classworlds.launcher.Launcher -B verify"))
        .isTrue();
    assertThat(ItServersClient.isMaven("/bin/sh -c cd /x && java -jar surefirebooter.jar"))
        .isFalse();
  }
}
