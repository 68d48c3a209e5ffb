import { expect } from "chai";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { policyDeserializeProperties, shareDeserializedProperties } from "../../lib/pulumi-internals";

// The policy pack's entry point installs this so @pulumi/policy's server turns each resource's
// properties into plain values once per request instead of once per rule.
describe("shareDeserializedProperties (lib/pulumi-internals.ts)", () => {
  it("deserializes each Struct once per mode and hands the same plain value to every later caller", () => {
    shareDeserializedProperties();
    shareDeserializedProperties(); // idempotent: a second install does not wrap the wrapper
    const a = structproto.Struct.fromJavaScript({ bucket: "logs", versioning: { enabled: true } });
    const b = structproto.Struct.fromJavaScript({ bucket: "logs", versioning: { enabled: true } });
    const first = policyDeserializeProperties(a, false);
    expect(first).to.deep.equal({ bucket: "logs", versioning: { enabled: true } });
    expect(policyDeserializeProperties(a, false)).to.equal(first);
    // Another message with equal content is another request's: not shared.
    const other = policyDeserializeProperties(b, false);
    expect(other).to.deep.equal(first);
    expect(other).to.not.equal(first);
    // The secrets-preserving mode returns a different shape (a proxy): kept apart.
    const secrets = policyDeserializeProperties(a, true);
    expect(secrets).to.not.equal(first);
    expect(policyDeserializeProperties(a, true)).to.equal(secrets);
  });
});
