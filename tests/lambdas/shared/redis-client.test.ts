// The factory against real redis-server processes: password, TLS, mutual TLS, ACL users, wrong
// credentials and certificates, a CNAME-like name missing from the certificate, and a cluster.

import type { LookupFunction } from "node:net";
import { expect } from "chai";
import { Cluster, Redis } from "ioredis";
import {
  buildRedisOptions,
  connectRedis,
  createRedisClient,
  explainRedisError,
  type RedisClient,
  RedisConnectionError,
} from "../../../lambdas/shared/redis-client";
import { redisConfigFromEnv } from "../../../lambdas/shared/redis-config";
import {
  NAME_NOT_IN_CERT,
  type RunningCluster,
  type RunningRedis,
  rawCommand,
  startRedis,
  startRedisCluster,
} from "../../../tools/services/redis-server";

const PASSWORD = "default-user-Pa55word-6f1c";
const APP_PASSWORD = "app-user-Pa55word-9d2e";

/** Resolves every name to loopback, like a Route53 CNAME that points at the real endpoint. */
const toLoopback = ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  if (options?.all) callback(null, [{ address: "127.0.0.1", family: 4 }]);
  else callback(null, "127.0.0.1", 4);
}) as unknown as LookupFunction;

async function expectConnectFailure(env: NodeJS.ProcessEnv, overrides = {}): Promise<RedisConnectionError> {
  try {
    const client = await connectRedis(env, { warn: () => {}, ...overrides });
    client.disconnect();
  } catch (error) {
    expect(error).to.be.instanceOf(RedisConnectionError);
    return error as RedisConnectionError;
  }
  throw new Error("expected the connection to fail");
}

function assertNoSecret(error: Error, ...secrets: string[]) {
  for (const secret of secrets) {
    expect(error.message).not.to.include(secret);
    expect(error.stack ?? "").not.to.include(secret);
    expect(String((error as { cause?: unknown }).cause)).not.to.include(secret);
  }
}

/** Commands the server has processed, read over a verified connection of our own. */
async function commandsProcessed(server: RunningRedis): Promise<number> {
  const info = await rawCommand(server, ["INFO", "stats"]);
  const match = /total_commands_processed:(\d+)/.exec(info);
  if (!match?.[1]) throw new Error("INFO stats without total_commands_processed");
  return Number(match[1]);
}

describe("redis-client: buildRedisOptions", () => {
  const pem = (path: string) => Buffer.from(`PEM of ${path}`);

  it("maps TLS files, SNI and auth to ioredis options", () => {
    const config = redisConfigFromEnv(
      {
        REDIS_URL: `rediss://app:${PASSWORD}@cache.internal:6380/1`,
        REDIS_TLS_CA_FILE: "/ca.pem",
        REDIS_TLS_CERT_FILE: "/c.pem",
        REDIS_TLS_KEY_FILE: "/k.pem",
      },
      { fileExists: () => true },
    );
    const options = buildRedisOptions(config, pem);
    expect(options).to.include({ host: "cache.internal", port: 6380, db: 1, username: "app", password: PASSWORD });
    expect(options.tls).to.deep.include({
      rejectUnauthorized: true,
      minVersion: "TLSv1.2",
      servername: "cache.internal",
    });
    expect(String(options.tls?.ca)).to.equal("PEM of /ca.pem");
    expect(String(options.tls?.cert)).to.equal("PEM of /c.pem");
    expect(String(options.tls?.key)).to.equal("PEM of /k.pem");
    expect(options.connectTimeout).to.equal(5000);
    expect(options.maxRetriesPerRequest).to.equal(2);
    // RESP2 whatever ioredis' default (6.x: RESP3, whose ZRANGE WITHSCORES shape redis-verify cannot read).
    expect(options.protocol).to.equal(2);
  });

  it("sends no SNI for an IP, and leaves per-node names alone in a cluster", () => {
    const byIp = buildRedisOptions(redisConfigFromEnv({ REDIS_URL: "rediss://10.0.0.3:6379" }), pem);
    expect(byIp.tls).not.to.have.property("servername");
    const cluster = buildRedisOptions(redisConfigFromEnv({ REDIS_URL: "rediss://cfg.internal", REDIS_CLUSTER: "1" }));
    expect(cluster.tls).not.to.have.property("servername");
    expect(cluster).not.to.have.property("host");
  });
});

describe("redis-client: against redis-server", function () {
  this.timeout(30000);
  let plain: RunningRedis;
  let secure: RunningRedis;
  let mutual: RunningRedis;
  const clients: RedisClient[] = [];
  const track = <T extends RedisClient>(client: T): T => {
    clients.push(client);
    return client;
  };

  before(async () => {
    [plain, secure, mutual] = await Promise.all([
      startRedis({
        password: PASSWORD,
        aclUsers: [{ name: "app", password: APP_PASSWORD, rules: "~* +@all -flushall -flushdb" }],
      }),
      startRedis({ password: PASSWORD, tls: true }),
      startRedis({ password: PASSWORD, tls: true, requireClientCert: true }),
    ]);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });

  after(async () => {
    await Promise.all([plain?.stop(), secure?.stop(), mutual?.stop()]);
  });

  it("password only (REDIS_HOST/REDIS_PORT/REDIS_PASSWORD)", async () => {
    const client = track(
      createRedisClient({ REDIS_HOST: plain.host, REDIS_PORT: String(plain.port), REDIS_PASSWORD: PASSWORD }),
    );
    expect(client).to.be.instanceOf(Redis);
    await client.set("greeting", "hello");
    expect(await client.get("greeting")).to.equal("hello");
  });

  it("TLS + AUTH token with seed 000's variable names and a private CA", async () => {
    const client = track(
      await connectRedis({
        REDIS_HOST: "localhost",
        REDIS_PORT: String(secure.port),
        REDIS_TLS_ENABLED: "true",
        REDIS_AUTH_TOKEN: PASSWORD,
        REDIS_TLS_CA_FILE: secure.tls!.caFile,
      }),
    );
    await client.set("k", "over-tls");
    expect(await client.get("k")).to.equal("over-tls");
  });

  it("TLS + AUTH from a rediss:// URL", async () => {
    const client = track(await connectRedis({ REDIS_URL: secure.url, REDIS_SSL_CA_CERTS: secure.tls!.caFile }));
    expect(await client.ping()).to.equal("PONG");
  });

  it("mutual TLS: works with the client certificate, fails clearly without it", async () => {
    const env = { REDIS_URL: mutual.url, REDIS_TLS_CA_FILE: mutual.tls!.caFile };
    const client = track(
      await connectRedis({
        ...env,
        REDIS_TLS_CERT_FILE: mutual.tls!.clientCertFile,
        REDIS_TLS_KEY_FILE: mutual.tls!.clientKeyFile,
      }),
    );
    expect(await client.ping()).to.equal("PONG");

    const error = await expectConnectFailure(env);
    expect(error.reason).to.be.oneOf(["reset", "tls-client-certificate"]);
    expect(error.message).to.match(/client certificate/);
    expect(error.message).to.include("REDIS_TLS_CERT_FILE");
    assertNoSecret(error, PASSWORD);
  });

  it("ACL user: allowed commands work, a forbidden one is refused with NOPERM", async () => {
    const env = {
      REDIS_HOST: plain.host,
      REDIS_PORT: String(plain.port),
      REDIS_USERNAME: "app",
      REDIS_PASSWORD: APP_PASSWORD,
    };
    const client = track(await connectRedis(env));
    expect(await client.acl("WHOAMI")).to.equal("app");
    await client.set("acl:key", "1");
    expect(await client.incr("acl:key")).to.equal(2);

    let refused: unknown;
    try {
      await client.flushall();
    } catch (error) {
      refused = error;
    }
    expect((refused as Error)?.message).to.match(/^NOPERM/);
    const explained = explainRedisError(refused, redisConfigFromEnv(env));
    expect(explained.reason).to.equal("permission");
    expect(explained.message).to.match(/user "app" is not allowed/);
    expect(await client.get("acl:key")).to.equal("2");
  });

  it("wrong password: names the cause and the user, never the password", async () => {
    const wrong = "wrong-Pa55word-NOT-this-one";
    const error = await expectConnectFailure({ REDIS_URL: `redis://:${wrong}@${plain.host}:${plain.port}` });
    expect(error.reason).to.equal("auth");
    expect(error.message).to.match(/authentication failed for user "default"/);
    expect(error.message).to.include("WRONGPASS");
    expect(error.message).to.include(`redis://:***@127.0.0.1:${plain.port}`);
    assertNoSecret(error, wrong, PASSWORD);

    const acl = await expectConnectFailure({
      REDIS_URL: `redis://app:${PASSWORD}@${plain.host}:${plain.port}`,
    });
    expect(acl.message).to.match(/authentication failed for user "app"/);
    assertNoSecret(acl, PASSWORD, APP_PASSWORD);
  });

  it("no password against a server that requires one: NOAUTH explained", async () => {
    const error = await expectConnectFailure({ REDIS_URL: `redis://${plain.host}:${plain.port}` });
    expect(error.reason).to.equal("auth");
    expect(error.message).to.match(/requires a password and none is configured \(NOAUTH\)/);
  });

  it("wrong CA: certificate error, and not a single plaintext command reaches the server", async () => {
    const first = await commandsProcessed(secure);
    const probeCost = (await commandsProcessed(secure)) - first;
    const before = await commandsProcessed(secure);
    const error = await expectConnectFailure({ REDIS_URL: secure.url, REDIS_TLS_CA_FILE: secure.tls!.otherCaFile });
    const after = await commandsProcessed(secure);
    expect(error.reason).to.equal("tls-certificate");
    expect(error.message).to.match(/not trusted \(SELF_SIGNED_CERT_IN_CHAIN/);
    expect(error.message).to.include("REDIS_TLS_CA_FILE");
    assertNoSecret(error, PASSWORD);
    // Same delta as two back-to-back probes: the rejected client sent nothing (no AUTH, no PING).
    expect(after - before).to.equal(probeCost);
  });

  it("a redis:// (plaintext) client against a TLS-only port fails instead of downgrading", async () => {
    const error = await expectConnectFailure({ REDIS_URL: `redis://:${PASSWORD}@${secure.host}:${secure.port}` });
    expect(error.reason).to.equal("reset");
    expect(error.message).to.match(/use rediss:\/\/ or REDIS_TLS_ENABLED=true/);
    assertNoSecret(error, PASSWORD);
  });

  it("a name missing from the certificate is refused, unless REDIS_TLS_SERVERNAME names one in it", async () => {
    const env = {
      REDIS_HOST: NAME_NOT_IN_CERT,
      REDIS_PORT: String(secure.port),
      REDIS_TLS_ENABLED: "true",
      REDIS_AUTH_TOKEN: PASSWORD,
      REDIS_TLS_CA_FILE: secure.tls!.caFile,
    };
    const overrides = { redisOptions: { tls: { lookup: toLoopback } } };
    const error = await expectConnectFailure(env, overrides);
    expect(error.reason).to.equal("tls-hostname");
    expect(error.message).to.include(`does not cover "${NAME_NOT_IN_CERT}"`);
    expect(error.message).to.include("REDIS_TLS_SERVERNAME");
    assertNoSecret(error, PASSWORD);

    const client = track(
      await connectRedis(
        { ...env, REDIS_TLS_SERVERNAME: "primary.test-redis.internal" },
        { ...overrides, warn: () => {} },
      ),
    );
    expect(await client.ping()).to.equal("PONG");

    // By IP, with a servername the certificate does not list: still refused.
    const byIp = await expectConnectFailure({
      REDIS_URL: secure.url,
      REDIS_TLS_CA_FILE: secure.tls!.caFile,
      REDIS_TLS_SERVERNAME: NAME_NOT_IN_CERT,
    });
    expect(byIp.reason).to.equal("tls-hostname");
  });

  it("connection refused is named as such", async () => {
    const port = plain.port;
    const config = redisConfigFromEnv({ REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${port}` });
    const explained = explainRedisError(
      Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      config,
    );
    expect(explained.reason).to.equal("refused");
    expect(explained.message).to.equal(
      `connection refused by redis://:***@127.0.0.1:${port} (ECONNREFUSED): nothing listens on that host and port`,
    );
  });
});

describe("redis-client: cluster mode", function () {
  this.timeout(60000);
  let cluster: RunningCluster;
  let client: RedisClient | undefined;

  before(async () => {
    cluster = await startRedisCluster({ masters: 3, password: PASSWORD, tls: true });
  });

  after(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it("REDIS_CLUSTER=true returns a Cluster that carries TLS + AUTH to every node", async () => {
    const first = cluster.startupNodes[0]!;
    client = await connectRedis({
      REDIS_URL: `rediss://:${PASSWORD}@localhost:${first.port}`,
      REDIS_CLUSTER: "true",
      REDIS_TLS_CA_FILE: cluster.tls!.caFile,
    });
    expect(client).to.be.instanceOf(Cluster);
    const keys = Array.from({ length: 60 }, (_, i) => `user:${i}`);
    await Promise.all(keys.map((key, i) => client!.set(key, String(i))));
    expect(await Promise.all(keys.map((key) => client!.get(key)))).to.deep.equal(keys.map((_, i) => String(i)));
    // The keys really are spread over the three masters.
    const perNode = await Promise.all(
      cluster.nodes.map(async (node) => Number((await rawCommand(node, ["DBSIZE"])).slice(1))),
    );
    expect(perNode.filter((n) => n > 0)).to.have.length(3);
    expect(perNode.reduce((a, b) => a + b, 0)).to.equal(keys.length);
  });
});
