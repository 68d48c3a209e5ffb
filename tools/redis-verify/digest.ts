// Canonical content digests, so that two servers holding the same data agree even when their
// internal encodings differ (listpack vs hashtable, Redis 7.0 vs 7.1 double formatting). DUMP
// payloads are NOT used for the known types: their bytes change with the RDB version and encoding.

import { createHash, type Hash } from "node:crypto";

/** The content reply for one key, as read with the command in {@link contentCommand}. */
export type ContentReply = Buffer | null | ContentReply[];

/** The read that fetches a key's whole content, by type. Anything else falls back to DUMP. */
export function contentCommand(type: string): [command: string, ...args: string[]] {
  switch (type) {
    case "string":
      return ["GET"];
    // Upper-case on purpose: ioredis turns a lower-case "hgetall" reply into an object keyed by
    // strings, which would corrupt binary field names.
    case "hash":
      return ["HGETALL"];
    case "list":
      return ["LRANGE", "0", "-1"];
    case "set":
      return ["SMEMBERS"];
    case "zset":
      return ["ZRANGE", "0", "-1", "WITHSCORES"];
    case "stream":
      return ["XRANGE", "-", "+"];
    default:
      return ["DUMP"];
  }
}

/** Length-prefixed so that ["ab","c"] and ["a","bc"] never hash alike. */
function feed(hash: Hash, bytes: Buffer | string): void {
  const buffer = typeof bytes === "string" ? Buffer.from(bytes) : bytes;
  hash.update(`${buffer.length}:`);
  hash.update(buffer);
}

function expectBuffer(value: ContentReply | undefined, what: string): Buffer {
  if (!Buffer.isBuffer(value)) throw new TypeError(`unexpected ${what} reply: expected bytes`);
  return value;
}

function expectArray(value: ContentReply | undefined, what: string): ContentReply[] {
  if (!Array.isArray(value)) throw new TypeError(`unexpected ${what} reply: expected an array`);
  return value;
}

function pairs(flat: ContentReply[], what: string): [Buffer, Buffer][] {
  if (flat.length % 2 !== 0) throw new TypeError(`unexpected ${what} reply: odd number of elements`);
  const out: [Buffer, Buffer][] = [];
  for (let i = 0; i < flat.length; i += 2) {
    out.push([expectBuffer(flat[i], what), expectBuffer(flat[i + 1], what)]);
  }
  return out;
}

/**
 * One spelling per score value: Redis versions format doubles differently ("0.1" vs
 * "0.10000000000000001"), and both parse to the same IEEE double.
 */
export function canonicalScore(raw: string): string {
  const lower = raw.toLowerCase();
  if (lower === "inf" || lower === "+inf") return "inf";
  if (lower === "-inf") return "-inf";
  const value = Number(raw);
  if (Number.isNaN(value)) throw new TypeError(`unexpected sorted-set score "${raw}"`);
  return Object.is(value, -0) ? "0" : String(value);
}

/**
 * sha256 of a canonical encoding of the content: string value; hash fields sorted with their
 * values; list in order; set members sorted; zset members sorted with canonical scores; stream
 * entries in order (ids and field/value pairs). Unknown (module) types: the DUMP payload without
 * its 10-byte trailer (RDB version + CRC64), comparable only between servers of one version.
 */
export function contentDigest(type: string, reply: ContentReply): string {
  const hash = createHash("sha256");
  feed(hash, type);
  switch (type) {
    case "string":
      feed(hash, expectBuffer(reply, "GET"));
      break;
    case "list":
      for (const item of expectArray(reply, "LRANGE")) feed(hash, expectBuffer(item, "LRANGE"));
      break;
    case "set": {
      const members = expectArray(reply, "SMEMBERS").map((m) => expectBuffer(m, "SMEMBERS"));
      members.sort(Buffer.compare);
      for (const member of members) feed(hash, member);
      break;
    }
    case "hash": {
      const fields = pairs(expectArray(reply, "HGETALL"), "HGETALL");
      fields.sort((a, b) => Buffer.compare(a[0], b[0]));
      for (const [field, value] of fields) {
        feed(hash, field);
        feed(hash, value);
      }
      break;
    }
    case "zset": {
      const members = pairs(expectArray(reply, "ZRANGE"), "ZRANGE");
      members.sort((a, b) => Buffer.compare(a[0], b[0]));
      for (const [member, score] of members) {
        feed(hash, member);
        feed(hash, canonicalScore(score.toString("latin1")));
      }
      break;
    }
    case "stream":
      for (const entry of expectArray(reply, "XRANGE")) {
        const [id, fields] = expectArray(entry, "XRANGE entry");
        feed(hash, expectBuffer(id, "XRANGE id"));
        const flat = expectArray(fields, "XRANGE fields");
        feed(hash, String(flat.length));
        for (const item of flat) feed(hash, expectBuffer(item, "XRANGE field"));
      }
      break;
    default: {
      const payload = expectBuffer(reply, "DUMP");
      feed(hash, payload.subarray(0, Math.max(0, payload.length - 10)));
    }
  }
  return hash.digest("hex");
}
