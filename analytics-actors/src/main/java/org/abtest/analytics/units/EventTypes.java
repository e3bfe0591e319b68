package org.abtest.analytics.units;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Event type names interned to small ints, so that a held event stores two bytes instead of a
 * reference to its string. Bounded: past {@link #MAX} names (experiments use a few dozen) a new one
 * gets no id and its events are not held, counted by the caller.
 */
final class EventTypes {

  static final int MAX = 4096;

  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> names = new ArrayList<>();
  private long chars;

  /** The name's id, or -1 when the table is full. */
  int id(String name) {
    Integer id = ids.get(name);
    if (id != null) {
      return id;
    }
    if (names.size() >= MAX) {
      return -1;
    }
    ids.put(name, names.size());
    names.add(name);
    chars += name.length();
    return names.size() - 1;
  }

  String name(int id) {
    return names.get(id);
  }

  int size() {
    return names.size();
  }

  /** About what the names and their map entries take: 2 bytes a char plus ~80 per name. */
  long bytes() {
    return 2 * chars + 80L * names.size();
  }
}
