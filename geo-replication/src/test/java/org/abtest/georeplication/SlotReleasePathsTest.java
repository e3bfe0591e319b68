package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import org.abtest.protocol.experiment.Lifecycle;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every path to CONCLUDED or KILLED frees the experiment's layer slots, in the home region, also
 * when the end was written in another region: real entities and manifest publishers of two regions
 * on Pekko's in-memory journal ({@link SlotRegions}).
 */
class SlotReleasePathsTest {

  private static final ActorTestKit testKit = ActorTestKit.create(SlotRegions.config());

  private final SlotRegions regions = new SlotRegions(testKit);

  @AfterEach
  void stopRegions() {
    regions.stopAll();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void concludingARunningExperimentFreesItsSlots() {
    String key = regions.startInLayer("conclude-running", "l-conclude-running");
    regions.transition(SlotRegions.HOME, key, Lifecycle.CONCLUDE);
    regions.awaitFree("l-conclude-running", key);
  }

  @Test
  void killingARunningExperimentFreesItsSlots() {
    String key = regions.startInLayer("kill-running", "l-kill-running");
    regions.transition(SlotRegions.HOME, key, Lifecycle.KILL);
    regions.awaitFree("l-kill-running", key);
  }

  @Test
  void concludingAPausedExperimentFreesItsSlots() {
    String key = regions.startInLayer("conclude-paused", "l-conclude-paused");
    regions.transition(SlotRegions.HOME, key, Lifecycle.PAUSE);
    regions.transition(SlotRegions.HOME, key, Lifecycle.CONCLUDE);
    regions.awaitFree("l-conclude-paused", key);
  }

  @Test
  void killingAPausedExperimentFreesItsSlots() {
    String key = regions.startInLayer("kill-paused", "l-kill-paused");
    regions.transition(SlotRegions.HOME, key, Lifecycle.PAUSE);
    regions.transition(SlotRegions.HOME, key, Lifecycle.KILL);
    regions.awaitFree("l-kill-paused", key);
  }

  @Test
  void aScheduledConclusionAtEndAtFreesItsSlots() {
    String key = "scheduled";
    regions.createLayer("l-scheduled");
    regions.create(key, "l-scheduled", SlotRegions.T0.plusSeconds(60));
    regions.transition(SlotRegions.HOME, key, Lifecycle.START);
    regions.assertHeld("l-scheduled", key);
    regions.clock.set(SlotRegions.T0.plusSeconds(61));
    regions.awaitFree("l-scheduled", key);
    assertThat(regions.status(SlotRegions.HOME, key)).isEqualTo("CONCLUDED");
  }

  @Test
  void aConcludeInAnotherRegionFreesTheSlotsInTheHomeRegion() {
    String key = regions.startInLayer("conclude-in-b", "l-conclude-in-b");
    regions.awaitRunning(SlotRegions.OTHER, key);
    regions.transition(SlotRegions.OTHER, key, Lifecycle.CONCLUDE);
    regions.awaitFree("l-conclude-in-b", key);
    regions.awaitNoPending(SlotRegions.OTHER);
    assertThat(regions.releasesSentBy(SlotRegions.OTHER)).isZero();
  }

  @Test
  void aKillInAnotherRegionFreesTheSlotsInTheHomeRegion() {
    String key = regions.startInLayer("kill-in-b", "l-kill-in-b");
    regions.awaitRunning(SlotRegions.OTHER, key);
    regions.transition(SlotRegions.OTHER, key, Lifecycle.KILL);
    regions.awaitFree("l-kill-in-b", key);
    assertThat(regions.releasesSentBy(SlotRegions.OTHER)).isZero();
  }

  @Test
  void aConcludeWhileTheHomeRegionIsDownFreesTheSlotsWhenItComesBack() {
    String key = regions.startInLayer("home-down", "l-home-down");
    regions.awaitRunning(SlotRegions.OTHER, key);
    regions.stopRegion(SlotRegions.HOME);
    regions.transition(SlotRegions.OTHER, key, Lifecycle.CONCLUDE);
    // The other region knows the release is owed and waits for the home region.
    var pending = regions.awaitPending(SlotRegions.OTHER, 1);
    assertThat(pending.home()).isFalse();
    assertThat(pending.releases().get(0).owner()).isEqualTo(key);
    regions.assertHeld("l-home-down", key);

    // Home comes back: replica, layer and publisher start afresh from the journal.
    regions.startRegion(SlotRegions.HOME);
    regions.wake(SlotRegions.HOME, key);
    regions.awaitFree("l-home-down", key);
    regions.awaitNoPending(SlotRegions.OTHER);
    regions.awaitNoPending(SlotRegions.HOME);
  }

  @Test
  void aReleaseThatIsLostIsResentWithBackoffUntilTheLayerShowsTheRangeFree() {
    String key = regions.startInLayer("lost", "l-lost");
    regions.dropNextReleases(2);
    regions.clock.run();
    regions.transition(SlotRegions.HOME, key, Lifecycle.CONCLUDE);
    regions.awaitFree("l-lost", key);
    assertThat(regions.releasesSentBy(SlotRegions.HOME)).isGreaterThanOrEqualTo(3);
    regions.awaitNoPending(SlotRegions.HOME);
  }

  @Test
  void aRepeatedReleaseIsHarmless() {
    String key = regions.startInLayer("twice", "l-twice");
    regions.transition(SlotRegions.HOME, key, Lifecycle.KILL);
    regions.awaitFree("l-twice", key);
    LayerState before = regions.layer("l-twice");
    LayerState after = regions.release("l-twice", key);
    assertThat(after.appliedEvents()).isEqualTo(before.appliedEvents());
    assertThat(after.freeRanges()).isEqualTo(before.freeRanges());
  }
}
