package org.abtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStickyBucketStoreTest {

  @Test
  void storedVariantsSurviveARestart(@TempDir Path dir) {
    Path file = dir.resolve("sticky.tsv");
    new FileStickyBucketStore(file, 10).put("e", "s", "u", "control");
    assertThat(new FileStickyBucketStore(file, 10).get("e", "s", "u")).contains("control");
  }

  @Test
  void fileStaysWithinItsEntryBound(@TempDir Path dir) {
    FileStickyBucketStore store = new FileStickyBucketStore(dir.resolve("sticky.tsv"), 50);
    for (int i = 0; i < 200; i++) {
      store.put("e", "s", "u" + i, "treatment");
    }
    assertThat(store.size()).isEqualTo(50);
    assertThat(new FileStickyBucketStore(dir.resolve("sticky.tsv"), 50).size()).isEqualTo(50);
  }

  @Test
  void unitWithATabIsNotStored(@TempDir Path dir) {
    FileStickyBucketStore store = new FileStickyBucketStore(dir.resolve("sticky.tsv"), 10);
    store.put("e", "s", "a\tb", "control");
    assertThat(store.get("e", "s", "a\tb")).isEmpty();
  }
}
