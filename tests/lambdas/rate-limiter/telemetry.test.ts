import { expect } from "chai";
import { describe, it } from "mocha";
import { Metrics, powertoolsLogger } from "../../../lambdas/rate-limiter/telemetry";

// The Lambda's telemetry comes from Powertools: JSON logs carrying the SQS record's messageId as
// correlation id, and EMF documents for the counters.

/** Lines written to stdout and stderr (Powertools writes warnings and errors to stderr). */
function captureOutput(fn: () => void): string[] {
  const lines: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((s) => s.write);
  for (const s of streams) {
    s.write = ((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      return true;
    }) as typeof s.write;
  }
  try {
    fn();
  } finally {
    streams.forEach((s, i) => {
      s.write = writes[i] as typeof s.write;
    });
  }
  return lines;
}

describe("rate limiter: telemetry (Powertools)", () => {
  it("logs JSON with the service, the fields, and the record's messageId as correlation id", () => {
    const logger = powertoolsLogger();
    const lines = captureOutput(() => {
      logger.withCorrelationId?.("sqs-message-1").info("sent", { event: "rate_limiter_sent", userId: "u1" });
      logger.warn("no record", { event: "x" });
    });
    const [withId, without] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(withId).to.deep.include({
      level: "INFO",
      message: "sent",
      service: "rate-limiter",
      correlation_id: "sqs-message-1",
      event: "rate_limiter_sent",
      userId: "u1",
    });
    expect(without).to.not.have.property("correlation_id");
  });

  it("flushes the counters as one EMF document, then nothing until counted again", () => {
    const m = new Metrics();
    m.count("Sent");
    m.count("Sent");
    m.count("ThrottledRequeues", 3);
    const now = Date.now();
    const doc = JSON.parse(m.flush(now) as string);
    expect(doc._aws.Timestamp).to.equal(now);
    const [directive] = doc._aws.CloudWatchMetrics;
    expect(directive.Namespace).to.equal("Huntaze/RateLimiter");
    expect(directive.Metrics.map((x: { Name: string; Unit: string }) => `${x.Name}/${x.Unit}`)).to.have.members([
      "Sent/Count",
      "ThrottledRequeues/Count",
    ]);
    expect(doc).to.include({ Sent: 2, ThrottledRequeues: 3, service: "rate-limiter" });
    expect(m.flush(now)).to.equal(undefined);
    expect(m.totals.Sent).to.equal(2);
  });
});
