package org.abtest.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A bounded {@link StickyBucketStore} kept in a line file ({@code experiment TAB salt TAB unit TAB
 * variant}). Every new entry rewrites the file atomically (temp file, then move). Values holding a
 * tab or a line break are not stored, so such a unit falls back to the hash answer.
 */
public final class FileStickyBucketStore implements StickyBucketStore {

  private final Path file;
  private final int maxEntries;
  private final Map<String, String> entries = new LinkedHashMap<>();

  public FileStickyBucketStore(Path file, int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1");
    }
    this.file = file;
    this.maxEntries = maxEntries;
    load();
  }

  @Override
  public synchronized Optional<String> get(String experiment, String salt, String unit) {
    String line = entries.get(InMemoryStickyBucketStore.key(experiment, salt, unit));
    return Optional.ofNullable(line).map(l -> l.substring(l.lastIndexOf('\t') + 1));
  }

  @Override
  public synchronized void put(String experiment, String salt, String unit, String variant) {
    for (String s : List.of(experiment, salt, unit, variant)) {
      if (s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
        return;
      }
    }
    String key = InMemoryStickyBucketStore.key(experiment, salt, unit);
    String line = experiment + '\t' + salt + '\t' + unit + '\t' + variant;
    if (line.equals(entries.get(key))) {
      return;
    }
    entries.remove(key); // a replaced variant counts as the newest entry
    entries.put(key, line);
    while (entries.size() > maxEntries) {
      entries.remove(entries.keySet().iterator().next());
    }
    save();
  }

  public synchronized int size() {
    return entries.size();
  }

  private void load() {
    if (!Files.exists(file)) {
      return;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.split("\t", -1);
        if (f.length == 4) {
          entries.putIfAbsent(InMemoryStickyBucketStore.key(f[0], f[1], f[2]), line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    while (entries.size() > maxEntries) {
      entries.remove(entries.keySet().iterator().next());
    }
  }

  private void save() {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, new ArrayList<>(entries.values()), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
