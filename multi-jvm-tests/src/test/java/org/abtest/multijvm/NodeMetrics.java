package org.abtest.multijvm;

/** One value of a node's Prometheus text (GET /metrics); -1 when the node does not answer. */
final class NodeMetrics {

  private NodeMetrics() {}

  /** The sample of {@code name} without labels (a counter's {@code _total}, a gauge). */
  static double value(NodeJvm node, String name) {
    String text = node.http().text("/metrics", NodeJvm.ADMIN);
    if (text != null) {
      for (String line : text.split("\n")) {
        if (line.startsWith(name + " ")) {
          return Double.parseDouble(line.substring(name.length() + 1).trim());
        }
      }
    }
    return -1;
  }
}
