package org.abtest.protocol.targeting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A dotted attribute path ({@code father.age}), split once at compile time so that matching does no
 * string work. Resolution follows GrowthBook: each step needs an object holding the key (or an
 * array and a canonical index, or {@code length}); anything else, including a null on the way,
 * yields null, so a missing attribute and a null attribute look the same.
 */
final class Path {

  private static final int NOT_AN_INDEX = -1;
  private static final int LENGTH = -2;

  private final String dotted;
  private final String[] names;
  private final int[] indexes;

  private Path(String dotted, String[] names, int[] indexes) {
    this.dotted = dotted;
    this.names = names;
    this.indexes = indexes;
  }

  /** Splits on every dot; empty segments are kept, as JavaScript's {@code split} keeps them. */
  static Path of(String dotted) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= dotted.length(); i++) {
      if (i == dotted.length() || dotted.charAt(i) == '.') {
        parts.add(dotted.substring(start, i));
        start = i + 1;
      }
    }
    String[] names = parts.toArray(String[]::new);
    int[] indexes = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      indexes[i] = "length".equals(names[i]) ? LENGTH : arrayIndex(names[i]);
    }
    return new Path(dotted, names, indexes);
  }

  /** The value at this path, or {@code NullNode} when any step is missing. */
  JsonNode resolve(JsonNode root) {
    JsonNode current = root;
    for (int i = 0; i < names.length; i++) {
      JsonNode next = null;
      if (current.isObject()) {
        next = current.get(names[i]);
      } else if (current.isArray()) {
        int index = indexes[i];
        if (index >= 0) {
          next = current.get(index);
        } else if (index == LENGTH) {
          next = IntNode.valueOf(current.size());
        }
      }
      if (next == null) {
        return NullNode.getInstance();
      }
      current = next;
    }
    return current;
  }

  @Override
  public String toString() {
    return dotted;
  }

  // Only canonical indexes ("0", "12", not "01" or "+1") are array keys in JavaScript.
  private static int arrayIndex(String name) {
    if (name.isEmpty() || name.length() > 9 || (name.length() > 1 && name.charAt(0) == '0')) {
      return NOT_AN_INDEX;
    }
    int value = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return NOT_AN_INDEX;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
