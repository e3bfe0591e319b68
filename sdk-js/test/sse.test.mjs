import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_EVENT_CHARS, SseParser } from "../dist/sync.js";

function parse(chunks) {
  const events = [];
  const p = new SseParser((event, data) => events.push([event, data]));
  for (const c of chunks) p.push(c);
  return events;
}

test("server-sent events are read across chunk boundaries, with CRLF, comments and multi-line data", () => {
  assert.deepEqual(parse(["event: manifest\nid: 3\ndata: {\"a\"", ":1}\n\n", ":heartbeat\n\n"]), [["manifest", '{"a":1}']]);
  assert.deepEqual(parse(["event:manifest\r\ndata:x\r", "\ndata:y\r\n\r\n"]), [["manifest", "x\ny"]]);
  assert.deepEqual(parse(["data: plain\n\n"]), [["message", "plain"]]);
  assert.deepEqual(parse(["\n\n\n"]), []);
});

test("an event larger than the bound is refused, so a hostile stream cannot grow memory without end", () => {
  const p = new SseParser(() => {});
  const piece = "x".repeat(1024 * 1024);
  assert.throws(() => {
    p.push("data: ");
    for (let i = 0; i <= MAX_EVENT_CHARS / piece.length; i++) p.push(piece);
  });
});
