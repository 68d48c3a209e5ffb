import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { analyzerproto } from "../../lib/pulumi-internals";
import type { RecordedResource } from "./recorder";
import type { PlainObject } from "./secrets";

// The engine's Analyze and AnalyzeStack requests as protobuf bytes, byte for byte what
// google-protobuf's messages serialize to (tests/tools/analyzer-wire.test.ts compares them), but
// written straight from the resources' plain values: google-protobuf builds a Value message per
// property value (Struct.fromJavaScript) and then walks them again to serialize, which was a third of
// the engine's own time on a 5,000-resource policy check. The small, fixed fields (URN, name,
// options, dependencies) still go through the generated messages.
//
// Wire format (https://protobuf.dev/programming-guides/encoding/): a field is a tag varint
// (field number << 3 | wire type) then its value; wire type 0 is a varint, 1 a little-endian
// 64-bit value, 2 a length-delimited one (varint length, then bytes). google-protobuf writes fields
// in field-number order and a map's entries in sorted key order (jspb.Map#serializeBinary).
// google.protobuf.Struct (struct.proto): Struct { map<string, Value> fields = 1 }, a map entry
// being { key = 1, value = 2 }; Value { oneof kind: null_value = 1 (enum), number_value = 2
// (double), string_value = 3, bool_value = 4, struct_value = 5, list_value = 6 }; ListValue
// { repeated Value values = 1 }. A oneof member is written even when it holds its default value.

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const tag = (field: number, wireType: number) => (field << 3) | wireType;

/** Field numbers of pulumirpc.AnalyzeRequest and AnalyzerResource (proto/pulumi/analyzer.proto) before the rest. */
const TYPE_FIELD = 1;
const PROPERTIES_FIELD = 2;
/** pulumirpc.AnalyzeStackRequest: repeated AnalyzerResource resources = 1. */
const RESOURCES_FIELD = 1;

/** String#isWellFormed (ES2024, in Node since 20), beyond this project's ES2022 lib. */
const isWellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

/** Thrown by the value encoder when a value is not one google-protobuf's Struct.fromJavaScript handles the plain way. */
class NotPlain extends Error {}
const notPlain = new NotPlain();

/** A growable byte buffer with protobuf's primitives. */
class ProtoWriter {
  private buf = Buffer.allocUnsafe(1 << 16);
  pos = 0;

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  reset(): void {
    this.pos = 0;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.pos++] = b;
  }

  /** A non-negative integer below 2^31 (tags, lengths, booleans, enums). */
  varint(n: number): void {
    this.reserve(5);
    while (n > 127) {
      this.buf[this.pos++] = (n & 127) | 128;
      n >>>= 7;
    }
    this.buf[this.pos++] = n;
  }

  double(v: number): void {
    this.reserve(8);
    // google-protobuf writes NaN as 0x7fffffff_ffffffff (jspb.utils.splitFloat64), not as the canonical quiet NaN.
    if (Number.isNaN(v)) this.buf.fill(0xff, this.pos, this.pos + 7).writeUInt8(0x7f, this.pos + 7);
    else this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  string(s: string): void {
    // Buffer writes a lone surrogate as U+FFFD, google-protobuf as its own 3 bytes: such text goes
    // the generated messages' way.
    if (!isWellFormed(s)) throw notPlain;
    const n = Buffer.byteLength(s, "utf8");
    this.varint(n);
    this.reserve(n);
    this.buf.write(s, this.pos, n, "utf8");
    this.pos += n;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Starts a length-delimited value: a one-byte length is reserved and fixed up by `end`. */
  begin(): number {
    this.reserve(1);
    return this.pos++;
  }

  end(start: number): void {
    const length = this.pos - start - 1;
    if (length < 128) {
      this.buf[start] = length;
      return;
    }
    let size = 1;
    for (let n = length; n > 127; n >>>= 7) size++;
    this.reserve(size - 1);
    this.buf.copyWithin(start + size, start + 1, this.pos);
    this.pos += size - 1;
    let at = start;
    let n = length;
    while (n > 127) {
      this.buf[at++] = (n & 127) | 128;
      n >>>= 7;
    }
    this.buf[at] = n;
  }

  /** A copy of what was written since `from`. */
  copy(from = 0): Uint8Array {
    const out = new Uint8Array(this.pos - from);
    out.set(this.buf.subarray(from, this.pos));
    return out;
  }

  /** The fields of google.protobuf.Struct for a plain object (keys sorted, as google-protobuf's map writes them). */
  struct(obj: object): void {
    const proto = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) throw notPlain;
    const keys = Object.keys(obj).sort();
    for (const key of keys) {
      this.varint(tag(1, LENGTH_DELIMITED));
      const entry = this.begin();
      this.varint(tag(1, LENGTH_DELIMITED));
      this.string(key);
      this.varint(tag(2, LENGTH_DELIMITED));
      const value = this.begin();
      this.value((obj as Record<string, unknown>)[key]);
      this.end(value);
      this.end(entry);
    }
  }

  /** The fields of google.protobuf.Value. */
  value(v: unknown): void {
    switch (typeof v) {
      case "string":
        this.varint(tag(3, LENGTH_DELIMITED));
        this.string(v);
        return;
      case "number":
        this.varint(tag(2, FIXED64));
        this.double(v);
        return;
      case "boolean":
        this.varint(tag(4, VARINT));
        this.varint(v ? 1 : 0);
        return;
      case "object": {
        if (v === null) {
          this.varint(tag(1, VARINT));
          this.varint(0); // NullValue.NULL_VALUE
          return;
        }
        if (Array.isArray(v)) {
          this.varint(tag(6, LENGTH_DELIMITED));
          const list = this.begin();
          for (let i = 0; i < v.length; i++) {
            this.varint(tag(1, LENGTH_DELIMITED));
            const item = this.begin();
            this.value(v[i]);
            this.end(item);
          }
          this.end(list);
          return;
        }
        this.varint(tag(5, LENGTH_DELIMITED));
        const struct = this.begin();
        this.struct(v);
        this.end(struct);
        return;
      }
      default:
        // undefined, a function, a symbol, a bigint: google-protobuf rejects them ("Unexpected struct type.").
        throw notPlain;
    }
  }

  /** `field` holding google.protobuf.Struct.fromJavaScript(obj). */
  structField(field: number, obj: PlainObject): void {
    const start = this.pos;
    try {
      this.varint(tag(field, LENGTH_DELIMITED));
      const struct = this.begin();
      this.struct(obj);
      this.end(struct);
    } catch (e) {
      if (!(e instanceof NotPlain)) throw e;
      // Not plain data: google-protobuf's own conversion writes it (or throws its own error).
      this.pos = start;
      const bytes = structproto.Struct.fromJavaScript(obj as never).serializeBinary();
      this.varint(tag(field, LENGTH_DELIMITED));
      this.varint(bytes.length);
      this.bytes(bytes);
    }
  }

  /**
   * A resource message (AnalyzeRequest or AnalyzerResource): its type (field 1) and properties
   * (field 2), then `rest`, the generated message holding the later fields, serialized.
   */
  resource(type: string, properties: PlainObject, rest: { serializeBinary(): Uint8Array }): void {
    if (type.length > 0) {
      this.varint(tag(TYPE_FIELD, LENGTH_DELIMITED));
      this.string(type);
    }
    this.structField(PROPERTIES_FIELD, properties);
    this.bytes(rest.serializeBinary());
  }
}

/** The same conversion as policy-client's Struct fields: google-protobuf's own. */
export function toStruct(value: PlainObject): structproto.Struct {
  return structproto.Struct.fromJavaScript(value as never);
}

function optionsOf(r: RecordedResource): analyzerproto.AnalyzerResourceOptions {
  const o = new analyzerproto.AnalyzerResourceOptions();
  o.setProtect(r.options.protect);
  o.setIgnorechangesList(r.options.ignoreChanges);
  o.setDeletebeforereplace(r.options.deleteBeforeReplace);
  o.setDeletebeforereplacedefined(r.options.deleteBeforeReplace);
  o.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs);
  o.setAliasesList(r.options.aliases.filter((a) => a.startsWith("urn:")));
  if (r.parent) o.setParent(r.parent);
  return o;
}

/** Everything of an AnalyzeRequest but its type and properties (the caller sets those to have the whole message). */
export function analyzeRequestRest(r: RecordedResource): analyzerproto.AnalyzeRequest {
  const req = new analyzerproto.AnalyzeRequest();
  req.setUrn(r.urn);
  req.setName(r.name);
  req.setOptions(optionsOf(r));
  return req;
}

/** Everything of an AnalyzerResource but its type and properties (the caller sets those to have the whole message). */
export function analyzerResourceRest(r: RecordedResource): analyzerproto.AnalyzerResource {
  const ar = new analyzerproto.AnalyzerResource();
  ar.setUrn(r.urn);
  ar.setName(r.name);
  ar.setOptions(optionsOf(r));
  if (r.parent) ar.setParent(r.parent);
  ar.setDependenciesList(r.dependencies);
  const deps = ar.getPropertydependenciesMap();
  for (const [key, urns] of Object.entries(r.propertyDependencies)) {
    const d = new analyzerproto.AnalyzerPropertyDependencies();
    d.setUrnsList(urns);
    deps.set(key, d);
  }
  return ar;
}

const writer = new ProtoWriter();

/** The Analyze request for one resource: its inputs, as the CLI sends them before the resource is updated. */
export function encodeAnalyzeRequest(r: RecordedResource): Uint8Array {
  writer.reset();
  writer.resource(r.type, r.inputs, analyzeRequestRest(r));
  return writer.copy();
}

/**
 * The AnalyzeStack request over `resources` (their outputs), encoded `perSlice` resources at a time:
 * between slices `pause` is awaited, so a caller can let its other work (the Analyze replies) run.
 */
export async function encodeAnalyzeStackRequest(
  resources: readonly RecordedResource[],
  pause: () => Promise<void> = async () => {},
  perSlice = 250,
): Promise<Uint8Array> {
  const own = new ProtoWriter();
  for (let i = 0; i < resources.length; i++) {
    if (i > 0 && i % perSlice === 0) await pause();
    const r = resources[i] as RecordedResource;
    own.varint(tag(RESOURCES_FIELD, LENGTH_DELIMITED));
    const entry = own.begin();
    own.resource(r.type, r.outputs, analyzerResourceRest(r));
    own.end(entry);
  }
  return own.copy();
}
