package org.abtest.deploy.servers;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/** Reading server logs: tails for error messages, and "has this line appeared since start?". */
final class LogFile {

  private LogFile() {}

  /** The size now; a later {@link #containsSince} looks only at what was written after it. */
  static long sizeOf(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Whether {@code needle} was written after {@code offset}. Logs are appended across restarts, so
   * a marker from the previous run must not count.
   */
  static boolean containsSince(Path file, long offset, String needle) {
    if (!Files.exists(file)) {
      return false;
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      if (length <= offset) {
        return false;
      }
      // Startup logs are a few hundred kB at most; reading them whole each poll is cheap enough.
      byte[] bytes = new byte[(int) Math.min(length - offset, 64L * 1024 * 1024)];
      in.seek(offset);
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8).contains(needle);
    } catch (IOException e) {
      return false;
    }
  }

  /** The last {@code lines} lines, or a note that the file is missing. */
  static String tail(Path file, int lines) {
    if (!Files.exists(file)) {
      return "(no log at " + file + ")";
    }
    // Only the end of the file: a long-lived server's log can be large.
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(0, in.length() - 256 * 1024);
      byte[] bytes = new byte[(int) (in.length() - start)];
      in.seek(start);
      in.readFully(bytes);
      String[] all = new String(bytes, StandardCharsets.UTF_8).split("\\R");
      Deque<String> last = new ArrayDeque<>();
      for (String line : all) {
        last.addLast(line);
        if (last.size() > lines) {
          last.removeFirst();
        }
      }
      return "---- last " + last.size() + " lines of " + file + "\n" + String.join("\n", last);
    } catch (IOException e) {
      return "(could not read " + file + ": " + e.getMessage() + ")";
    }
  }
}
