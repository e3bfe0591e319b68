import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { bucket, hash } from "../dist/index.js";
import { Keyed } from "../dist/keys.js";

// DESIGN.md §3's known answers: (salt, unit) → murmur3 hex, bucket
const KNOWN = [
  ["a1b2c3", "user-1", "2d4ae4cb", 1769],
  ["a1b2c3", "user-2", "d1b5431b", 8191],
  ["checkout-7f3e", "42", "c211534f", 7580],
  ["layer-x", "alice", "268752b1", 1505],
  ["ünïcödé", "ユーザー", "853fdd2b", 5205],
  ["", "", "4a6b5e4f", 2907],
];

test("murmur3 and buckets give DESIGN.md's known answers", () => {
  for (const [salt, unit, hex, b] of KNOWN) {
    assert.equal(hash(salt, unit).toString(16).padStart(8, "0"), hex, `${salt}/${unit}`);
    assert.equal(bucket(salt, unit), b, `${salt}/${unit}`);
  }
});

test("every bucket is an integer in [0, 10000)", () => {
  for (let i = 0; i < 20000; i++) {
    const b = bucket("s" + (i % 7), "unit-" + i);
    assert.ok(Number.isInteger(b) && b >= 0 && b < 10000);
  }
});

test("keyed hashes are HMAC-SHA256 truncated to 32 hex digits, for short and long salts", () => {
  for (const salt of ["", "a1b2c3", "ü".repeat(40), "x".repeat(100)]) {
    for (const value of ["", "user-1", "ユーザー", "y".repeat(200)]) {
      const expected = crypto.createHmac("sha256", Buffer.from(salt, "utf8")).update("unit:" + value, "utf8").digest("hex").slice(0, 32);
      assert.equal(new Keyed(salt).hash("unit", value), expected);
    }
  }
});

test("a lone surrogate in a unit id hashes as Java's UTF-8 writes it, a question mark", () => {
  assert.equal(bucket("s", "a\ud800b"), bucket("s", "a?b"));
});
