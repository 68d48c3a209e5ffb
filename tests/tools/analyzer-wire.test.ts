import { expect } from "chai";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { before, describe, it } from "mocha";
import { analyzerproto } from "../../lib/pulumi-internals";
import {
  analyzeRequestRest,
  analyzerResourceRest,
  encodeAnalyzeRequest,
  encodeAnalyzeStackRequest,
} from "../../tools/engine/analyzer-wire";
import type { RecordedResource } from "../../tools/engine/recorder";
import type { PlainObject } from "../../tools/engine/secrets";
import { productionRecords } from "../support/production-records";
import { rec } from "../support/records";

// The engine writes its Analyze and AnalyzeStack requests as protobuf bytes directly
// (tools/engine/analyzer-wire.ts): they must be exactly the bytes google-protobuf's generated
// messages serialize to, so the pack reads the same requests as before.

/** The whole AnalyzeRequest built with google-protobuf, as the engine built it before. */
function generatedAnalyzeRequest(r: RecordedResource): Uint8Array {
  const req = analyzeRequestRest(r);
  req.setType(r.type);
  req.setProperties(structproto.Struct.fromJavaScript(r.inputs as never));
  return req.serializeBinary();
}

function generatedAnalyzeStackRequest(resources: RecordedResource[]): Uint8Array {
  const req = new analyzerproto.AnalyzeStackRequest();
  req.setResourcesList(
    resources.map((r) => {
      const ar = analyzerResourceRest(r);
      ar.setType(r.type);
      ar.setProperties(structproto.Struct.fromJavaScript(r.outputs as never));
      return ar;
    }),
  );
  return req.serializeBinary();
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Values at the edges of the format: defaults a oneof still writes, lengths of 1, 2 and 3 varint bytes, UTF-8 of 1 to 4 bytes. */
const edgeValues: PlainObject[] = [
  {},
  { "": "" },
  { zero: 0, negativeZero: -0, nan: Number.NaN, inf: Number.POSITIVE_INFINITY, tiny: 5e-324, big: 1e300 },
  { no: false, yes: true, nothing: null },
  { list: [], struct: {}, nested: [[], [{}], { a: [null, [true]] }] },
  { text: "é€😀 ✓", keyOrder: { b: 1, a: 2, B: 3, "10": 4, "9": 5, é: 6, z: 7 } },
  { long: "x".repeat(127), longer: "y".repeat(128), longest: "z".repeat(20_000) },
  { many: Array.from({ length: 300 }, (_, i) => ({ [`k${i}`]: i % 2 === 0 ? `v${i}` : i })) },
  { deep: JSON.parse(`${"[".repeat(30)}"bottom"${"]".repeat(30)}`) as PlainObject[] },
];

describe("the engine's Analyzer requests as bytes (tools/engine/analyzer-wire.ts)", function () {
  this.timeout(120_000);
  let production: RecordedResource[] = [];

  before(async () => {
    production = await productionRecords();
  });

  it("encodes every resource of the production preview as google-protobuf's AnalyzeRequest would", () => {
    expect(production.length).to.be.greaterThan(100);
    for (const r of production) expect(hex(encodeAnalyzeRequest(r)), r.urn).to.equal(hex(generatedAnalyzeRequest(r)));
  });

  it("encodes the production preview's AnalyzeStack request as google-protobuf would", async () => {
    const subjects = production.filter((r) => r.type !== "pulumi:pulumi:Stack");
    let pauses = 0;
    const bytes = await encodeAnalyzeStackRequest(
      subjects,
      async () => {
        pauses++;
      },
      10,
    );
    expect(pauses).to.equal(Math.ceil(subjects.length / 10) - 1);
    expect(Buffer.compare(bytes, generatedAnalyzeStackRequest(subjects))).to.equal(0);
  });

  it("matches google-protobuf on edge values: defaults, long lengths, multi-byte text, key order, nesting", async () => {
    const resources = edgeValues.map((inputs, i) =>
      rec({ type: i === 0 ? "" : "test:index:Edge", name: `e${i}`, inputs }),
    );
    for (const r of resources) expect(hex(encodeAnalyzeRequest(r)), r.name).to.equal(hex(generatedAnalyzeRequest(r)));
    expect(hex(await encodeAnalyzeStackRequest(resources))).to.equal(hex(generatedAnalyzeStackRequest(resources)));
  });

  it("leaves what is not plain data to google-protobuf: a lone surrogate, a null-prototype object, a class instance", () => {
    const bare = Object.assign(Object.create(null) as PlainObject, { b: 1, a: "x" });
    class Box {
      readonly inside = "kept";
    }
    for (const inputs of [
      { text: "\ud800 alone" },
      { bare },
      { box: new Box() as unknown as PlainObject },
      { list: ["ok", "\udfff"] },
    ] as PlainObject[]) {
      const r = rec({ type: "test:index:Odd", name: "odd", inputs });
      expect(hex(encodeAnalyzeRequest(r))).to.equal(hex(generatedAnalyzeRequest(r)));
    }
  });

  it("fails on a value google-protobuf rejects, with its error", () => {
    const r = rec({ type: "test:index:Bad", name: "bad", inputs: { missing: undefined } as unknown as PlainObject });
    expect(() => generatedAnalyzeRequest(r)).to.throw("Unexpected struct type.");
    expect(() => encodeAnalyzeRequest(r)).to.throw("Unexpected struct type.");
  });
});
