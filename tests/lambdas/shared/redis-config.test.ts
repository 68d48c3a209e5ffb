import { expect } from "chai";
import {
  describeEndpoint,
  parseRedisConfig,
  RedisConfigError,
  type RedisConnectionConfig,
  redactSecret,
  redisConfigFromEnv,
} from "../../../lambdas/shared/redis-config";

const SECRET = "s3cr3t-Token_With.Chars";
const OTHER_SECRET = "another-secret-value-42";
const EXISTING = new Set(["/certs/ca.pem", "/certs/client.pem", "/certs/client-key.pem"]);
const fileExists = (path: string) => EXISTING.has(path);

function parse(env: NodeJS.ProcessEnv) {
  return parseRedisConfig(env, { fileExists });
}

function okConfig(env: NodeJS.ProcessEnv): RedisConnectionConfig {
  const result = parse(env);
  if (!result.ok) throw new Error(`expected a valid config, got: ${result.problems.join("; ")}`);
  return result.config;
}

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  const result = parse(env);
  if (result.ok) throw new Error("expected problems, got a valid config");
  return result.problems;
}

describe("redis-config: parseRedisConfig", () => {
  const valid: { name: string; env: NodeJS.ProcessEnv; expected: RedisConnectionConfig }[] = [
    {
      name: "nothing set: local development defaults",
      env: {},
      expected: { host: "localhost", port: 6379, db: 0, cluster: false },
    },
    {
      name: "seed 000: REDIS_HOST + REDIS_TLS_ENABLED + REDIS_AUTH_TOKEN",
      env: {
        REDIS_HOST: "huntaze-redis-encrypted.asmyhp.ng.0001.use1.cache.amazonaws.com",
        REDIS_PORT: "6379",
        REDIS_TLS_ENABLED: "true",
        REDIS_AUTH_TOKEN: SECRET,
      },
      expected: {
        host: "huntaze-redis-encrypted.asmyhp.ng.0001.use1.cache.amazonaws.com",
        port: 6379,
        db: 0,
        cluster: false,
        password: SECRET,
        tls: { rejectUnauthorized: true },
      },
    },
    {
      name: "seed 004: REDIS_SSL + REDIS_SSL_CA_CERTS + mTLS files + ACL user + db",
      env: {
        REDIS_HOST: "redis.example.com",
        REDIS_PORT: "6380",
        REDIS_DB: "2",
        REDIS_USERNAME: "app",
        REDIS_PASSWORD: SECRET,
        REDIS_SSL: "true",
        REDIS_SSL_CA_CERTS: "/certs/ca.pem",
        REDIS_SSL_CERTFILE: "/certs/client.pem",
        REDIS_SSL_KEYFILE: "/certs/client-key.pem",
        REDIS_SSL_CERT_REQS: "required",
        REDIS_SSL_CHECK_HOSTNAME: "true",
      },
      expected: {
        host: "redis.example.com",
        port: 6380,
        db: 2,
        cluster: false,
        username: "app",
        password: SECRET,
        tls: {
          rejectUnauthorized: true,
          caFile: "/certs/ca.pem",
          certFile: "/certs/client.pem",
          keyFile: "/certs/client-key.pem",
        },
      },
    },
    {
      name: "rediss:// URL with user, password (percent-encoded) and db",
      env: { REDIS_URL: `rediss://app:${encodeURIComponent("p@ss/w:rd")}@cache.internal:6390/3` },
      expected: {
        host: "cache.internal",
        port: 6390,
        db: 3,
        cluster: false,
        username: "app",
        password: "p@ss/w:rd",
        tls: { rejectUnauthorized: true },
      },
    },
    {
      name: "seed 001: redis://:PASSWORD@localhost:6379/0",
      env: { REDIS_URL: `redis://:${SECRET}@localhost:6379/0` },
      expected: { host: "localhost", port: 6379, db: 0, cluster: false, password: SECRET },
    },
    {
      name: "URL and discrete variables that agree, TLS flag agreeing with rediss://",
      env: {
        REDIS_URL: `rediss://:${SECRET}@cache.internal:6379`,
        REDIS_HOST: "cache.internal",
        REDIS_PORT: "6379",
        REDIS_AUTH_TOKEN: SECRET,
        REDIS_TLS_ENABLED: "true",
        REDIS_TLS_CA_FILE: "/certs/ca.pem",
      },
      expected: {
        host: "cache.internal",
        port: 6379,
        db: 0,
        cluster: false,
        password: SECRET,
        tls: { rejectUnauthorized: true, caFile: "/certs/ca.pem" },
      },
    },
    {
      name: "Route53 CNAME: servername names the real endpoint",
      env: {
        REDIS_HOST: "redis.huntaze.internal",
        REDIS_TLS: "1",
        REDIS_TLS_SERVERNAME: "master.huntaze-redis-encrypted.asmyhp.use1.cache.amazonaws.com",
      },
      expected: {
        host: "redis.huntaze.internal",
        port: 6379,
        db: 0,
        cluster: false,
        tls: {
          rejectUnauthorized: true,
          servername: "master.huntaze-redis-encrypted.asmyhp.use1.cache.amazonaws.com",
        },
      },
    },
    {
      name: "cluster mode with the configuration endpoint",
      env: { REDIS_URL: `rediss://:${SECRET}@clustercfg.huntaze.use1.cache.amazonaws.com:6379`, REDIS_CLUSTER: "true" },
      expected: {
        host: "clustercfg.huntaze.use1.cache.amazonaws.com",
        port: 6379,
        db: 0,
        cluster: true,
        password: SECRET,
        tls: { rejectUnauthorized: true },
      },
    },
    {
      name: "IPv6 host in a URL",
      env: { REDIS_URL: "redis://[::1]:7000" },
      expected: { host: "::1", port: 7000, db: 0, cluster: false },
    },
    {
      name: "blank variables count as unset",
      env: { REDIS_URL: "  ", REDIS_HOST: "", REDIS_PASSWORD: "" },
      expected: { host: "localhost", port: 6379, db: 0, cluster: false },
    },
  ];

  for (const { name, env, expected } of valid) {
    it(`accepts ${name}`, () => {
      expect(okConfig(env)).to.deep.equal(expected);
    });
  }

  const invalid: { name: string; env: NodeJS.ProcessEnv; expected: RegExp[] }[] = [
    {
      name: "rediss:// with REDIS_TLS_ENABLED=false",
      env: { REDIS_URL: `rediss://:${SECRET}@h:6379`, REDIS_TLS_ENABLED: "false" },
      expected: [/rediss:\/\/ \(TLS\) but REDIS_TLS_ENABLED=false/],
    },
    {
      name: "redis:// with REDIS_SSL=true",
      env: { REDIS_URL: "redis://h:6379", REDIS_SSL: "true" },
      expected: [/redis:\/\/ \(plaintext\) but REDIS_SSL=true/],
    },
    {
      name: "client certificate without key",
      env: { REDIS_TLS_ENABLED: "true", REDIS_TLS_CERT_FILE: "/certs/client.pem" },
      expected: [/REDIS_TLS_CERT_FILE is set without REDIS_TLS_KEY_FILE/],
    },
    {
      name: "key without certificate",
      env: { REDIS_TLS_ENABLED: "true", REDIS_SSL_KEYFILE: "/certs/client-key.pem" },
      expected: [/REDIS_SSL_KEYFILE is set without REDIS_TLS_CERT_FILE/],
    },
    {
      name: "CA file that does not exist",
      env: { REDIS_TLS_ENABLED: "true", REDIS_TLS_CA_FILE: "/nope/ca.pem" },
      expected: [/REDIS_TLS_CA_FILE points to a missing file: \/nope\/ca.pem/],
    },
    {
      name: "REDIS_URL and REDIS_HOST that disagree",
      env: { REDIS_URL: "redis://new-host:6379", REDIS_HOST: "old-host" },
      expected: [/REDIS_URL and REDIS_HOST disagree \(new-host vs old-host\)/],
    },
    {
      name: "REDIS_URL without port and a non-default REDIS_PORT",
      env: { REDIS_URL: "redis://h", REDIS_PORT: "6380" },
      expected: [/REDIS_URL and REDIS_PORT disagree \(6379 vs 6380\)/],
    },
    {
      name: "password given twice with different values",
      env: { REDIS_PASSWORD: SECRET, REDIS_AUTH_TOKEN: OTHER_SECRET },
      expected: [/REDIS_PASSWORD and REDIS_AUTH_TOKEN disagree \(values not shown\)/],
    },
    {
      name: "URL password and REDIS_AUTH_TOKEN that differ",
      env: { REDIS_URL: `rediss://:${SECRET}@h:6379`, REDIS_AUTH_TOKEN: OTHER_SECRET },
      expected: [/REDIS_URL and REDIS_AUTH_TOKEN hold different passwords \(values not shown\)/],
    },
    {
      name: "non-numeric port and db",
      env: { REDIS_PORT: "63 79", REDIS_DB: "one" },
      expected: [/REDIS_PORT must be an integer from 1 to 65535, got "63 79"/, /REDIS_DB must be an integer/],
    },
    {
      name: "port out of range",
      env: { REDIS_PORT: "70000" },
      expected: [/REDIS_PORT must be an integer from 1 to 65535, got "70000"/],
    },
    {
      name: "TLS-only settings with TLS off",
      env: { REDIS_HOST: "h", REDIS_TLS_CA_FILE: "/certs/ca.pem", REDIS_TLS_SERVERNAME: "x" },
      expected: [/REDIS_TLS_CA_FILE, REDIS_TLS_SERVERNAME set but TLS is off/],
    },
    {
      name: "TLS flags that disagree",
      env: { REDIS_TLS_ENABLED: "true", REDIS_SSL: "false" },
      expected: [/REDIS_TLS_ENABLED="true" and REDIS_SSL="false" disagree/],
    },
    {
      name: "unparsable boolean",
      env: { REDIS_TLS_ENABLED: "maybe" },
      expected: [/REDIS_TLS_ENABLED must be true or false, got "maybe"/],
    },
    {
      name: "verification switch that is not exactly true/false",
      env: { REDIS_TLS_ENABLED: "true", REDIS_TLS_REJECT_UNAUTHORIZED: "0" },
      expected: [/REDIS_TLS_REJECT_UNAUTHORIZED must be exactly "true" or "false", got "0"/],
    },
    {
      name: "hostname check turned off (use the servername instead)",
      env: { REDIS_SSL: "true", REDIS_SSL_CHECK_HOSTNAME: "false" },
      expected: [/REDIS_SSL_CHECK_HOSTNAME=false is not supported: set REDIS_TLS_SERVERNAME/],
    },
    {
      name: "optional certificate mode",
      env: { REDIS_SSL: "true", REDIS_SSL_CERT_REQS: "optional" },
      expected: [/REDIS_SSL_CERT_REQS must be "required" or "none"/],
    },
    {
      name: "cluster with a non-zero database",
      env: { REDIS_CLUSTER: "true", REDIS_DB: "1" },
      expected: [/Redis Cluster only has database 0, got database 1/],
    },
    {
      name: "username without password",
      env: { REDIS_USERNAME: "app" },
      expected: [/REDIS_USERNAME is set without a password/],
    },
    {
      name: "not a redis URL",
      env: { REDIS_URL: `http://:${SECRET}@h:6379` },
      expected: [/REDIS_URL must start with redis:\/\/ or rediss:\/\/, got http:\/\//],
    },
    {
      name: "unparsable URL holding a password",
      env: { REDIS_URL: `rediss://:${SECRET}@bad host:6379` },
      expected: [/REDIS_URL is not a valid URL/],
    },
  ];

  for (const { name, env, expected } of invalid) {
    it(`refuses ${name}`, () => {
      const problems = problemsOf(env);
      for (const pattern of expected)
        expect(
          problems.some((p) => pattern.test(p)),
          `${pattern}`,
        ).to.equal(true);
      expect(problems.length).to.equal(expected.length, problems.join("\n"));
      expect(problems.join("\n")).not.to.include(SECRET);
      expect(problems.join("\n")).not.to.include(OTHER_SECRET);
    });
  }

  it("lists every problem at once in one error, without any secret", () => {
    const env = {
      REDIS_URL: `rediss://app:${SECRET}@new-host:6379`,
      REDIS_HOST: "old-host",
      REDIS_TLS_ENABLED: "false",
      REDIS_PASSWORD: OTHER_SECRET,
      REDIS_TLS_CERT_FILE: "/certs/client.pem",
      REDIS_TLS_CA_FILE: "/missing/ca.pem",
      REDIS_DB: "x",
    };
    let thrown: unknown;
    try {
      redisConfigFromEnv(env, { fileExists });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(RedisConfigError);
    const error = thrown as RedisConfigError;
    expect(error.problems).to.have.length(6);
    expect(error.message).to.match(/^Invalid Redis configuration \(6 problems\):/);
    for (const fragment of [
      "REDIS_HOST",
      "REDIS_TLS_ENABLED",
      "REDIS_PASSWORD",
      "REDIS_TLS_KEY_FILE",
      "ca.pem",
      "REDIS_DB",
    ]) {
      expect(error.message).to.include(fragment);
    }
    expect(error.message).not.to.include(SECRET);
    expect(error.message).not.to.include(OTHER_SECRET);
    expect(error.stack ?? "").not.to.include(SECRET);
  });

  it("turns verification off only on an explicit 'false', and warns about it", () => {
    const warnings: string[] = [];
    const config = redisConfigFromEnv(
      { REDIS_HOST: "h.internal", REDIS_TLS_ENABLED: "true", REDIS_TLS_REJECT_UNAUTHORIZED: "false" },
      { fileExists, warn: (m) => warnings.push(m) },
    );
    expect(config.tls?.rejectUnauthorized).to.equal(false);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/certificate verification is OFF for h\.internal/);

    expect(okConfig({ REDIS_SSL: "true", REDIS_SSL_CERT_REQS: "none" }).tls?.rejectUnauthorized).to.equal(false);
    expect(okConfig({ REDIS_SSL: "true", REDIS_TLS_REJECT_UNAUTHORIZED: "true" }).tls?.rejectUnauthorized).to.equal(
      true,
    );
  });

  it("warns when a password would travel in plaintext to a remote host", () => {
    const result = parse({ REDIS_HOST: "cache.internal", REDIS_PASSWORD: SECRET });
    expect(result.ok && result.warnings).to.deep.equal([
      "the Redis password is sent in plaintext to cache.internal: enable TLS (rediss:// or REDIS_TLS_ENABLED=true)",
    ]);
    const local = parse({ REDIS_PASSWORD: SECRET });
    expect(local.ok && local.warnings).to.deep.equal([]);
  });
});

describe("redis-config: describeEndpoint / redactSecret", () => {
  it("masks the password in the endpoint description", () => {
    const text = describeEndpoint(okConfig({ REDIS_URL: `rediss://app:${SECRET}@cache.internal:6390/2` }));
    expect(text).to.equal("rediss://app:***@cache.internal:6390/2");
    expect(describeEndpoint(okConfig({ REDIS_URL: "redis://[::1]:7000", REDIS_CLUSTER: "yes" }))).to.equal(
      "redis://[::1]:7000 (cluster)",
    );
  });

  it("scrubs a secret, raw or percent-encoded, from any text", () => {
    const secret = "a/b@c";
    expect(redactSecret(`x ${secret} y ${encodeURIComponent(secret)}`, secret)).to.equal("x *** y ***");
    expect(redactSecret("nothing", undefined)).to.equal("nothing");
  });
});
