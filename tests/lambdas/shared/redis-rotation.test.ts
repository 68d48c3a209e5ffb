import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import { DEFAULT_SETTINGS, type Limits, type RateLimiterSettings, units } from "../../../lambdas/rate-limiter/config";
import { createRateLimiterHandler, type RateLimiterHandler } from "../../../lambdas/rate-limiter/handler";
import { checkInvariants, type Decision } from "../../../lambdas/rate-limiter/model";
import { createOnlyFansClient } from "../../../lambdas/rate-limiter/onlyfans";
import { type AuthRefreshEvent, createRotatingRedisClient, isAuthFailure } from "../../../lambdas/shared/redis-auth";
import { type FakeOnlyFans, startFakeOnlyFans } from "../../../tools/local-sqs/fake-onlyfans";
import { createLocalQueues, runPipeline } from "../../../tools/local-sqs/pipeline";
import { type RunningRedis, rawCommand, startRedis } from "../../../tools/services/redis-server";
import { msg, sleep } from "../rate-limiter/helpers";

// An ElastiCache AUTH token rotation rehearsed on a real TLS redis-server, while the rate-limiter
// pipeline sends: ROTATE (an ACL user with both passwords; the secret then holds the new one), SET
// (the old password removed), and the connections dropped, as a failover or node replacement
// would. Every client re-reads the secret on WRONGPASS and carries on.

const ADMIN = "admin-password-rotation-test-0123456789";
const OLD = "oldTokenAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const NEW = "newTokenBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
const WRONG = "wrongTokenCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";
const ARN = "arn:aws:secretsmanager:us-east-1:317805897534:secret:redis-auth-AbCdEf";

describe("AUTH token rotation with no downtime (real redis-server, TLS + ACL)", function () {
  this.timeout(90_000);
  let server: RunningRedis;
  let fake: FakeOnlyFans;

  const admin = (args: string[]) => rawCommand({ port: server.port, password: ADMIN, tls: server.tls }, args);
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    REDIS_HOST: server.host,
    REDIS_PORT: String(server.port),
    REDIS_TLS_ENABLED: "true",
    REDIS_TLS_CA_FILE: server.tls?.caFile,
    REDIS_USERNAME: "app",
    ...extra,
  });

  before(async () => {
    server = await startRedis({
      tls: true,
      password: ADMIN,
      aclUsers: [{ name: "app", password: OLD, rules: "~* &* +@all" }],
    });
    fake = await startFakeOnlyFans();
  });
  after(async () => {
    await fake?.close();
    await server?.stop();
  });

  it("keeps the pipeline sending through ROTATE then SET: nothing lost, nothing twice, limits held, never degraded", async () => {
    await admin(["ACL", "SETUSER", "app", "resetpass", `>${OLD}`]);
    await admin(["FLUSHALL"]);
    let secret = JSON.stringify({ authToken: OLD, host: server.host, port: server.port, tls: true });
    let secretReads = 0;
    const readSecret = async (arn: string) => {
      expect(arn).to.equal(ARN);
      secretReads += 1;
      return secret;
    };

    const limits: Limits = { perWindow: 4, windowSeconds: 2, burst: 2 };
    const settings: RateLimiterSettings = { ...DEFAULT_SETTINGS, limits, httpTimeoutMs: 2000 };
    const queues = createLocalQueues({ visibilityTimeoutMs: 5000 });
    const logs: Record<string, unknown>[] = [];
    const events: { instance: string; event: AuthRefreshEvent }[] = [];
    const decisions: { userId: string; d: Decision }[] = [];
    const closers: (() => void)[] = [];

    /** One Lambda instance: the entry point's wiring (secret by ARN, rotating client) around the handler. */
    const instance = async (id: string): Promise<RateLimiterHandler> => {
      const { client, auth } = await createRotatingRedisClient(env({ REDIS_AUTH_TOKEN_SECRET_ARN: ARN }), {
        readSecret,
        refresher: { onEvent: (event) => events.push({ instance: id, event }) },
      });
      client.on("error", () => {});
      closers.push(() => {
        auth.close();
        client.disconnect();
      });
      const log = (level: string) => (m: string, f?: Record<string, unknown>) =>
        logs.push({ instance: id, level, msg: m, ...f });
      return createRateLimiterHandler({
        redis: client,
        redisAuth: auth,
        queue: queues.sender,
        onlyFans: createOnlyFansClient({ url: fake.url, token: "of-token", timeoutMs: 2000 }),
        settings,
        logger: { info: log("info"), warn: log("warn"), error: log("error") },
        emitMetrics: () => {},
        onDecision: (userId, _messageId, d) => decisions.push({ userId, d }),
      });
    };

    const instances = [await instance("a"), await instance("b")];
    let turn = 0;
    const creators = ["creator-1", "creator-2", "creator-3"];
    const messages = creators.flatMap((userId, c) =>
      Array.from({ length: 8 }, (_, i) => msg(`${userId}-m${i}`, userId, i * 450 + c * 70)),
    );
    const postsBefore = fake.posts.length;

    let rotatedAt = Number.POSITIVE_INFINITY;
    const rotation = (async () => {
      await sleep(800);
      // Step 1, ROTATE: the new token is added, the old one still works; then the secret holds the new one.
      await admin(["ACL", "SETUSER", "app", `>${NEW}`]);
      secret = JSON.stringify({ authToken: NEW, host: server.host, port: server.port, tls: true });
      rotatedAt = Date.now();
      // A cold start from here on reads the new token.
      instances.push(await instance("c"));
      await sleep(1000);
      // Step 2, SET: the old token is removed; connections made with it are dropped and come back.
      await admin(["ACL", "SETUSER", "app", `<${OLD}`]);
      await admin(["CLIENT", "KILL", "USER", "app"]);
    })();

    const result = await runPipeline({
      queues,
      handler: (event) => {
        const h = instances[turn++ % instances.length] as RateLimiterHandler;
        return h(event);
      },
      messages,
      durationSeconds: 40,
      maxConcurrency: 3,
    });
    await rotation;
    for (const close of closers) close();

    expect(result.timedOut).to.equal(false);
    const posted = fake.posts.slice(postsBefore).map((p) => p.messageId);
    expect([...posted].sort(), "every message sent exactly once").to.deep.equal(
      messages.map((m) => (m.body as { messageId: string }).messageId).sort(),
    );
    expect(queues.dlq.size, "nothing dead-lettered").to.equal(0);

    const u = units(limits);
    for (const userId of creators) {
      const grants = decisions.filter((d) => d.userId === userId).flatMap((d) => d.d.grants.map(() => d.d.nowMs));
      expect(checkInvariants(grants, u), `${userId}'s limits`).to.deep.equal([]);
    }

    const degraded = logs.filter((l) => l.event === "rate_limiter_degraded");
    expect(degraded, "no degraded-mode decision").to.deep.equal([]);
    // The two instances started before the rotation hit WRONGPASS and re-read the secret once each.
    for (const id of ["a", "b"]) {
      const kinds = events.filter((e) => e.instance === id).map((e) => e.event.kind);
      expect(kinds, `instance ${id}`).to.include("auth_failed");
      expect(
        kinds.filter((k) => k === "token_refreshed"),
        `instance ${id}`,
      ).to.have.length(1);
    }
    expect(rotatedAt).to.be.lessThan(Date.now());
    // 3 cold starts + one re-read per old instance, whatever the number of failed reconnects.
    expect(secretReads).to.be.at.most(5);
    // The old token is gone for good; the new one works.
    const oldLogin = await rawCommand({ port: server.port, tls: server.tls }, ["AUTH", "app", OLD]);
    expect(oldLogin).to.match(/^-WRONGPASS/);
    expect(await rawCommand({ port: server.port, tls: server.tls }, ["AUTH", "app", NEW])).to.equal("+OK\r\n");
    const printed = JSON.stringify([logs, events]);
    for (const token of [OLD, NEW]) expect(printed.includes(token)).to.equal(false);
  });

  it("never loops on a bad token: one secret read, then Redis counts as unavailable", async () => {
    await admin(["ACL", "SETUSER", "app", "resetpass", `>${NEW}`]);
    let reads = 0;
    const events: string[] = [];
    const { client, auth } = await createRotatingRedisClient(env({ REDIS_AUTH_TOKEN_SECRET_ARN: ARN }), {
      readSecret: async () => {
        reads += 1;
        return JSON.stringify({ authToken: WRONG });
      },
      refresher: { onEvent: (e) => events.push(e.kind) },
    });
    client.on("error", () => {});
    try {
      const error = await auth
        .run(() => client.ping())
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(isAuthFailure(error) || /max retries|Connection is closed/i.test(String(error))).to.equal(true);
      await sleep(2500); // ioredis keeps reconnecting with backoff meanwhile
      expect(reads, "the cold start, then one re-read").to.equal(2);
      expect(events).to.include("token_unchanged");
      expect(events).to.not.include("token_refreshed");
    } finally {
      auth.close();
      client.disconnect();
    }
  });

  it("re-reads the environment when no secret ARN is set", async () => {
    await admin(["ACL", "SETUSER", "app", "resetpass", `>${OLD}`]);
    const vars = env({ REDIS_PASSWORD: OLD });
    const { client, auth } = await createRotatingRedisClient(vars);
    client.on("error", () => {});
    try {
      expect(await auth.run(() => client.ping())).to.equal("PONG");
      await admin(["ACL", "SETUSER", "app", `>${NEW}`, `<${OLD}`]);
      vars.REDIS_PASSWORD = NEW;
      await admin(["CLIENT", "KILL", "USER", "app"]);
      expect(await auth.run(() => client.set("rotation:probe", "1", "EX", 10))).to.equal("OK");
    } finally {
      auth.close();
      client.disconnect();
    }
  });
});
