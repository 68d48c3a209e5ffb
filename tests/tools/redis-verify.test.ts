// Seed 000's migration, locally: a plaintext, passwordless Redis is snapshotted (SAVE), its
// dump.rdb restored into a new TLS + AUTH Redis, and redis-verify must prove nothing was lost,
// then catch a deleted and a changed key.

import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import type { Redis } from "ioredis";
import { connectRedis } from "../../lambdas/shared/redis-client";
import { clientEnv, parseArgs } from "../../tools/redis-verify/args";
import { canonicalScore, contentDigest } from "../../tools/redis-verify/digest";
import { maskUrl, scrub, secretsOf } from "../../tools/redis-verify/mask";
import { displayKey, exitCodeFor, formatText, judgeKey, ReportBuilder } from "../../tools/redis-verify/report";
import { verifyKeyspaces } from "../../tools/redis-verify/verify";
import { type RunningRedis, startRedis } from "../../tools/services/redis-server";

const TOKEN = "ElastiCacheAuthToken0123456789abcdefXYZ";
/** A least-privilege ACL user: reads only, no INFO, no writes. */
const VERIFIER = { name: "verifier", password: "VerifierOnlyReads0987654321", rules: "~* +@read +ping" };
const ROOT = path.resolve(__dirname, "../..");

const b = (text: string) => Buffer.from(text);

describe("redis-verify: canonical digests", () => {
  it("ignores hash field order and set member order, but not list order", () => {
    expect(contentDigest("hash", [b("a"), b("1"), b("b"), b("2")])).to.equal(
      contentDigest("hash", [b("b"), b("2"), b("a"), b("1")]),
    );
    expect(contentDigest("set", [b("x"), b("y")])).to.equal(contentDigest("set", [b("y"), b("x")]));
    expect(contentDigest("list", [b("x"), b("y")])).not.to.equal(contentDigest("list", [b("y"), b("x")]));
  });

  it("is not fooled by shifted boundaries or by the type", () => {
    expect(contentDigest("list", [b("ab"), b("c")])).not.to.equal(contentDigest("list", [b("a"), b("bc")]));
    expect(contentDigest("set", [b("v")])).not.to.equal(contentDigest("list", [b("v")]));
    expect(contentDigest("hash", [b("f"), b("v1")])).not.to.equal(contentDigest("hash", [b("f"), b("v2")]));
  });

  it("spells every score one way, whatever the server's double formatting", () => {
    const table: [string, string][] = [
      ["0.10000000000000001", "0.1"],
      ["1", "1"],
      ["1.5e3", "1500"],
      ["-0", "0"],
      ["inf", "inf"],
      ["+inf", "inf"],
      ["-inf", "-inf"],
    ];
    for (const [raw, canonical] of table) expect(canonicalScore(raw), raw).to.equal(canonical);
    expect(contentDigest("zset", [b("m"), b("0.10000000000000001")])).to.equal(
      contentDigest("zset", [b("m"), b("0.1")]),
    );
    expect(contentDigest("zset", [b("m"), b("1")])).not.to.equal(contentDigest("zset", [b("m"), b("2")]));
  });

  it("covers stream entries and binary strings", () => {
    const entry = (id: string, ...fields: string[]) => [b(id), fields.map(b)];
    expect(contentDigest("stream", [entry("1-0", "f", "v")])).not.to.equal(
      contentDigest("stream", [entry("1-1", "f", "v")]),
    );
    expect(contentDigest("string", Buffer.from([0xff, 0x00]))).not.to.equal(
      contentDigest("string", Buffer.from([0xfd, 0x00])),
    );
  });

  it("refuses a reply of the wrong shape instead of hashing garbage", () => {
    expect(() => contentDigest("hash", [b("odd")])).to.throw(/odd number/);
    expect(() => contentDigest("string", [b("x")])).to.throw(/expected bytes/);
  });
});

describe("redis-verify: verdicts, reports, masking, arguments", () => {
  it("judges existence, type, TTL presence and content", () => {
    const table: [Parameters<typeof judgeKey>[0], Parameters<typeof judgeKey>[1], string][] = [
      [{ type: "string", pttl: -1, digest: "a" }, { type: "string", pttl: -1, digest: "a" }, "same"],
      [{ type: "string", pttl: 5000, digest: "a" }, { type: "string", pttl: 4100, digest: "a" }, "same"],
      [{ type: "none", pttl: -2 }, { type: "none", pttl: -2 }, "vanished"],
      [{ type: "hash", pttl: -1 }, { type: "none", pttl: -2 }, "missing"],
      [{ type: "hash", pttl: -1 }, { type: "set", pttl: -1 }, "different:type"],
      [{ type: "set", pttl: 1000, digest: "a" }, { type: "set", pttl: -1, digest: "a" }, "different:ttl"],
      [{ type: "set", pttl: -1, digest: "a" }, { type: "set", pttl: -1, digest: "b" }, "different:content"],
    ];
    for (const [source, target, expected] of table) {
      const verdict = judgeKey(source, target);
      const label = verdict.kind === "different" ? `different:${verdict.reason}` : verdict.kind;
      expect(label, JSON.stringify([source, target])).to.equal(expected);
    }
  });

  it("caps samples, keeps counting, and decides the exit code (extra fails only with --strict)", () => {
    const builder = new ReportBuilder();
    for (let i = 0; i < 50; i++) builder.record(b(`k${i}`), { kind: "missing" });
    builder.recordExtra(b("new\x00key"));
    const report = builder.build(1.23456);
    expect(report.missing).to.equal(50);
    expect(report.compared).to.equal(50);
    expect(report.samples.missing).to.have.length(20);
    expect(report.samples.extra).to.deep.equal(["new\\x00key"]);
    expect(report.seconds).to.equal(1.235);
    expect(exitCodeFor(report, false)).to.equal(1);
    const onlyExtra = { ...report, missing: 0 };
    expect(exitCodeFor(onlyExtra, false)).to.equal(0);
    expect(exitCodeFor(onlyExtra, true)).to.equal(1);
    expect(displayKey(Buffer.from([0x61, 0x5c, 0xff]))).to.equal("a\\\\\\xff");
  });

  it("masks credentials in URLs and scrubs secrets from any text", () => {
    expect(maskUrl(`rediss://:${TOKEN}@h.example:6379`)).to.equal("rediss://***@h.example:6379");
    expect(maskUrl(`redis://app:${TOKEN}@h:6380/2`)).to.equal("redis://***@h:6380/2");
    expect(maskUrl("redis://h:6379")).to.equal("redis://h:6379");
    expect(maskUrl(`rediss://:${TOKEN}@bad host`)).to.equal("<unparsable URL>");
    const secrets = secretsOf(`rediss://:${encodeURIComponent("a/b")}@h:1`);
    expect(scrub("x a/b y a%2Fb", secrets)).to.equal("x *** y ***");
  });

  it("parses arguments, reporting every problem and never echoing a URL", () => {
    const ok = parseArgs(
      ["--source", "redis://old:6379", `--target=rediss://:${TOKEN}@new:6379`, "--ca", "/ca.pem", "--batch", "500"],
      {},
    );
    expect(ok.kind === "run" && ok.options).to.deep.include({
      source: "redis://old:6379",
      target: `rediss://:${TOKEN}@new:6379`,
      targetCa: "/ca.pem",
      batch: 500,
      parallel: 4,
      match: "*",
      strict: false,
    });
    expect(ok.kind === "run" && ok.options.sourceCa).to.equal(undefined);

    const fromEnv = parseArgs(["--json"], { REDIS_VERIFY_SOURCE: "redis://a:1", REDIS_VERIFY_TARGET: "redis://b:2" });
    expect(fromEnv.kind === "run" && fromEnv.options.json).to.equal(true);

    const bad = parseArgs(["--batch", "0", "--bogus", `rediss://:${TOKEN}@x:1`, "--ca", "/ca.pem"], {});
    expect(bad.kind).to.equal("error");
    const problems = bad.kind === "error" ? bad.problems.join("\n") : "";
    for (const fragment of [
      "unknown option --bogus",
      "unexpected argument #4",
      "--source is required",
      "--target is required",
      "--batch must be an integer from 1 to 100000",
    ]) {
      expect(problems).to.include(fragment);
    }
    expect(problems).not.to.include(TOKEN);

    const noTls = parseArgs(["--source", "redis://a:1", "--target", "redis://b:2", "--ca", "/ca.pem"], {});
    expect(noTls.kind === "error" && noTls.problems).to.deep.equal(["--ca is set but neither URL is rediss://"]);
    expect(clientEnv("rediss://h:1", "/ca.pem", "name")).to.deep.equal({
      REDIS_URL: "rediss://h:1",
      REDIS_TLS_CA_FILE: "/ca.pem",
      REDIS_TLS_SERVERNAME: "name",
    });
  });

  it("prints masked endpoints in the text report", () => {
    const text = formatText(new ReportBuilder().build(1), {
      source: maskUrl("redis://old:6379"),
      target: maskUrl(`rediss://:${TOKEN}@new:6379`),
      strict: false,
    });
    expect(text).to.include("target: rediss://***@new:6379");
    expect(text).to.include("result: OK");
    expect(text).not.to.include(TOKEN);
  });
});

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "tools/redis-verify.ts", ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60000 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 99) : 0;
        resolve({ code: typeof code === "number" ? code : 99, stdout, stderr });
      },
    );
  });
}

/** Seed-000 shaped data: every type, TTLs, floats, a binary key. */
async function loadFixture(client: Redis): Promise<number> {
  const p = client.pipeline();
  for (let i = 0; i < 200; i++) p.set(`session:${i}`, `token-${i}`, "EX", 3600);
  for (let i = 0; i < 100; i++) p.set(`counter:${i}`, String(i));
  for (let i = 0; i < 50; i++) p.hset(`creator:${i}`, { name: `creator ${i}`, plan: "pro", sent: String(i * 3) });
  for (let i = 0; i < 50; i++) p.rpush(`queue:${i}`, "a", "b", "c", String(i));
  for (let i = 0; i < 50; i++) p.sadd(`fans:${i}`, "f1", "f2", `f${i + 3}`);
  for (let i = 0; i < 50; i++) p.zadd(`ratelimit:{${i}}`, 0.1, "m1", 1e-7, "m2", 1712345678.125, "m3");
  for (let i = 0; i < 20; i++) p.xadd(`events:${i}`, "*", "type", "send", "n", String(i));
  p.hset("big:hash", Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`field${i}`, `value${i}`])));
  p.expire("creator:0", 7200);
  p.set(Buffer.from([0x62, 0x69, 0x6e, 0xff, 0x00]), Buffer.from([0x00, 0xfe]));
  const results = (await p.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
  return 200 + 100 + 50 * 4 + 20 + 2;
}

describe("redis-verify: snapshot/restore into TLS + AUTH (seed 000, locally)", function () {
  this.timeout(60000);
  let source: RunningRedis;
  let target: RunningRedis;
  let sourceClient: Redis;
  let targetClient: Redis;
  let keys: number;
  let workDir: string;

  before(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "huntaze-verify-test-"));
    // The old cluster: no TLS, no AUTH.
    source = await startRedis();
    sourceClient = (await connectRedis(clientEnv(source.url))) as Redis;
    keys = await loadFixture(sourceClient);
    expect(await sourceClient.dbsize()).to.equal(keys);
    expect(await sourceClient.save()).to.equal("OK");
    const snapshot = path.join(workDir, "snapshot.rdb");
    fs.copyFileSync(path.join(source.dataDir, "dump.rdb"), snapshot);
    // The new replication group: TLS required, AUTH token, restored from the snapshot.
    target = await startRedis({ password: TOKEN, tls: true, rdbFile: snapshot, aclUsers: [VERIFIER] });
    targetClient = (await connectRedis(clientEnv(target.url, target.tls?.caFile))) as Redis;
  });

  after(async () => {
    sourceClient?.disconnect();
    targetClient?.disconnect();
    await Promise.all([source?.stop(), target?.stop()]);
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("finds nothing lost after the restore (in-process)", async () => {
    expect(await targetClient.dbsize()).to.equal(keys);
    const report = await verifyKeyspaces(sourceClient, targetClient, { batch: 37, parallel: 3, match: "*" });
    expect(report).to.deep.include({ missing: 0, different: 0, extra: 0, vanished: 0, compared: keys });
    expect(report.sourceKeys).to.be.at.least(keys);
    expect(report.targetKeys).to.be.at.least(keys);
  });

  it("the CLI agrees (exit 0, JSON on stdout) as a read-only ACL user, and never prints its password", async () => {
    const result = await runCli([
      "--source",
      source.url,
      "--target",
      `rediss://${VERIFIER.name}:${VERIFIER.password}@127.0.0.1:${target.port}`,
      "--ca",
      target.tls!.caFile,
      "--json",
      "--batch",
      "100",
    ]);
    expect(result.code, result.stderr).to.equal(0);
    const report = JSON.parse(result.stdout);
    expect(report).to.include({ compared: keys, missing: 0, different: 0, extra: 0 });
    expect(report).to.have.property("seconds");
    expect(result.stdout + result.stderr).not.to.include(VERIFIER.password);
  });

  it("reports a deleted and a changed key (exit 1), plus an extra one, by name", async () => {
    await targetClient.del("counter:7");
    await targetClient.hset("creator:3", "plan", "free");
    await targetClient.set("written-after-cutover", "1");

    const report = await verifyKeyspaces(sourceClient, targetClient, { batch: 1000, parallel: 4, match: "*" });
    expect(report).to.deep.include({ missing: 1, different: 1, extra: 1 });
    expect(report.samples).to.deep.equal({
      missing: ["counter:7"],
      different: [{ key: "creator:3", reason: "content" }],
      extra: ["written-after-cutover"],
    });

    // Token passed through the environment, so it is not even in the child's argv; the CA comes
    // from NODE_EXTRA_CA_CERTS, as on a host that already trusts it.
    const result = await runCli([], {
      REDIS_VERIFY_SOURCE: source.url,
      REDIS_VERIFY_TARGET: target.url,
      NODE_EXTRA_CA_CERTS: target.tls!.caFile,
    });
    expect(result.code, result.stderr).to.equal(1);
    expect(result.stdout).to.match(/missing: +1\n/);
    expect(result.stdout).to.match(/different: +1\n/);
    expect(result.stdout).to.include("counter:7");
    expect(result.stdout).to.include("creator:3  [content]");
    expect(result.stdout).to.include(`target: rediss://***@127.0.0.1:${target.port}`);
    expect(result.stdout + result.stderr).not.to.include(TOKEN);
  });

  it("a TTL dropped, or a type changed, on the target is a difference", async () => {
    await targetClient.persist("session:5");
    await targetClient.del("fans:9");
    await targetClient.rpush("fans:9", "f1", "f2", "f12");
    const sessions = await verifyKeyspaces(sourceClient, targetClient, {
      batch: 1000,
      parallel: 4,
      match: "session:*",
    });
    expect(sessions.samples.different).to.deep.equal([{ key: "session:5", reason: "ttl" }]);
    expect(sessions.compared).to.equal(200);
    const fans = await verifyKeyspaces(sourceClient, targetClient, { batch: 1000, parallel: 4, match: "fans:*" });
    expect(fans.samples.different).to.deep.equal([{ key: "fans:9", reason: "type" }]);
  });

  it("exits 2 with a clear, masked message on a wrong token or bad arguments", async () => {
    const wrong = "wrong-token-0000000000000000";
    const badAuth = await runCli([
      "--source",
      source.url,
      "--target",
      `rediss://:${wrong}@127.0.0.1:${target.port}`,
      "--ca",
      target.tls!.caFile,
    ]);
    expect(badAuth.code).to.equal(2);
    expect(badAuth.stderr).to.match(/cannot connect to the target: authentication failed for user "default"/);
    expect(badAuth.stdout).to.equal("");
    expect(badAuth.stdout + badAuth.stderr).not.to.include(wrong);

    const noCa = await runCli(["--source", source.url, "--target", target.url, "--quiet"]);
    expect(noCa.code).to.equal(2);
    expect(noCa.stderr).to.match(/not trusted/);
    expect(noCa.stdout + noCa.stderr).not.to.include(TOKEN);

    const clusterNode = await startRedis({ extraConfig: ["cluster-enabled yes", "cluster-config-file nodes.conf"] });
    try {
      const cluster = await runCli(["--source", clusterNode.url, "--target", target.url, "--ca", target.tls!.caFile]);
      expect(cluster.code).to.equal(2);
      expect(cluster.stderr).to.include("the source is a Redis Cluster node");
    } finally {
      await clusterNode.stop();
    }

    const usage = await runCli(["--target", target.url, "--batch", "x"]);
    expect(usage.code).to.equal(2);
    expect(usage.stderr).to.include("--source is required");
    expect(usage.stderr).not.to.include(TOKEN);
  });
});
