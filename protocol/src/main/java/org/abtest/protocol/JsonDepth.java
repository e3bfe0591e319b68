package org.abtest.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;

/** How deeply a JSON value nests, measured without recursion so no depth can overflow the stack. */
public final class JsonDepth {

  private JsonDepth() {}

  /** A scalar is 0 deep; {@code {}} and {@code []} are 1; {@code {"a": {}}} is 2. */
  public static int of(JsonNode root) {
    record Level(JsonNode node, int depth) {}
    Deque<Level> pending = new ArrayDeque<>();
    pending.push(new Level(root, root.isContainerNode() ? 1 : 0));
    int deepest = 0;
    while (!pending.isEmpty()) {
      Level level = pending.pop();
      deepest = Math.max(deepest, level.depth());
      for (JsonNode child : level.node()) {
        if (child.isContainerNode()) {
          pending.push(new Level(child, level.depth() + 1));
        }
      }
    }
    return deepest;
  }
}
