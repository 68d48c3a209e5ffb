// Lambda entry point: wires the handler to real SQS (@aws-sdk/client-sqs, shipped by the nodejs24.x
// runtime), the shared Redis client factory and the OnlyFans endpoint, all from the environment.
// Everything is built on the first invocation (not at import), so a cold start only loads code and
// a configuration error surfaces as a clear invocation error listing every problem.
//
// Environment (set by the RateLimiterPipeline component; names in config.ts ENTRY_ENV / SETTINGS_ENV
// and lambdas/shared/redis-config.ts REDIS_ENV):
//   QUEUE_URL                      the source queue (throttled messages are re-queued here)
//   DLQ_URL                        the dead-letter queue (malformed and 5-times-failed messages)
//   ONLYFANS_API_URL               the send endpoint (JSON POST)
//   ONLYFANS_API_TOKEN_SECRET_ARN  Secrets Manager secret holding the bearer token (preferred), or
//   ONLYFANS_API_TOKEN             the token itself (local runs)
//   RATE_LIMIT_PER_WINDOW / RATE_LIMIT_WINDOW_SECONDS / RATE_LIMIT_BURST   limits (10 / 60 / 3)
//   MAX_CONCURRENCY                the event source mapping's maximumConcurrency (degraded budget; 2)
//   MAX_ATTEMPTS, IDEMPOTENCY_TTL_SECONDS, ONLYFANS_TIMEOUT_MS, REDIS_TIMEOUT_MS,
//   MAX_INLINE_WAIT_MS, RETRY_BASE_MS  optional tuning (see config.ts)
//   REDIS_URL / REDIS_HOST / REDIS_PORT / REDIS_PASSWORD | REDIS_AUTH_TOKEN / REDIS_TLS_* / REDIS_CLUSTER
//                                  read by lambdas/shared/redis-client.ts
//   REDIS_AUTH_TOKEN_SECRET_ARN    Secrets Manager secret holding the AUTH token (EncryptedRedis' JSON
//                                  {authToken, ...}); resolved here into REDIS_AUTH_TOKEN, and re-read on
//                                  WRONGPASS/NOAUTH during a rotation (lambdas/shared/redis-auth.ts)

import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { createRotatingRedisClient, tokenFromSecretString } from "../shared/redis-auth";
import { ENTRY_ENV, settingsFromEnv } from "./config";
import {
  type BatchResponse,
  createRateLimiterHandler,
  type LambdaContextLike,
  type QueueSender,
  type SqsEvent,
} from "./handler";
import { createOnlyFansClient } from "./onlyfans";
import { powertoolsLogger } from "./telemetry";

export interface EntryConfigProblem {
  readonly problems: string[];
}

function required(env: NodeJS.ProcessEnv, name: string, problems: string[]): string {
  const v = env[name]?.trim();
  if (v === undefined || v === "") problems.push(`${name} must be set`);
  return v ?? "";
}

export type SecretReader = (arn: string) => Promise<string>;

/** Secrets Manager GetSecretValue (the client is external to the bundle: the runtime ships SDK v3). */
export const readSecretFromAws: SecretReader = async (arn) => {
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  return out.SecretString ?? "";
};

/** A JSON secret's first present field among `fields`, or the bare secret string. */
export function secretValue(secret: string, fields: readonly string[]): string {
  try {
    const parsed = JSON.parse(secret) as Record<string, unknown>;
    if (typeof parsed === "object" && parsed !== null) {
      for (const f of fields) if (typeof parsed[f] === "string") return parsed[f] as string;
    }
  } catch {
    // bare string
  }
  return secret;
}

/**
 * Resolves the secrets named by ARN: ONLYFANS_API_TOKEN_SECRET_ARN (JSON {token} or bare) and
 * REDIS_AUTH_TOKEN_SECRET_ARN (EncryptedRedis' JSON {authToken, ...} or bare) → REDIS_AUTH_TOKEN
 * for the shared client factory, unless a password is already set directly.
 */
export async function resolveSecrets(
  env: NodeJS.ProcessEnv,
  readSecret: SecretReader,
): Promise<{ env: NodeJS.ProcessEnv; onlyFansToken?: string }> {
  const out: NodeJS.ProcessEnv = { ...env };
  const redisArn = env[ENTRY_ENV.redisAuthSecretArn]?.trim();
  if (redisArn && !env["REDIS_AUTH_TOKEN"] && !env["REDIS_PASSWORD"]) {
    out["REDIS_AUTH_TOKEN"] = tokenFromSecretString(await readSecret(redisArn));
  }
  const ofArn = env[ENTRY_ENV.onlyfansSecretArn]?.trim();
  const onlyFansToken = ofArn
    ? secretValue(await readSecret(ofArn), ["token", "apiToken"])
    : env[ENTRY_ENV.onlyfansToken];
  return { env: out, ...(onlyFansToken ? { onlyFansToken } : {}) };
}

type Handler = (event: SqsEvent, context?: LambdaContextLike) => Promise<BatchResponse>;

export async function buildHandler(
  env: NodeJS.ProcessEnv = process.env,
  readSecret: SecretReader = readSecretFromAws,
): Promise<Handler> {
  const logger = powertoolsLogger();
  const problems: string[] = [];
  const queueUrl = required(env, ENTRY_ENV.queueUrl, problems);
  const dlqUrl = required(env, ENTRY_ENV.dlqUrl, problems);
  const onlyFansUrl = required(env, ENTRY_ENV.onlyfansApiUrl, problems);
  const settings = settingsFromEnv(env);
  if (!settings.ok) problems.push(...settings.problems);
  if (problems.length > 0 || !settings.ok) {
    throw new Error(`rate limiter configuration is invalid:\n  - ${problems.join("\n  - ")}`);
  }
  const secrets = await resolveSecrets(env, readSecret);
  const token = secrets.onlyFansToken;
  // The token is re-read from the secret (by ARN) on an auth failure: a rotation costs one retry.
  const { client: redis, auth: redisAuth } = await createRotatingRedisClient(secrets.env, {
    readSecret,
    refresher: {
      onEvent: (e) => {
        if (e.kind === "token_refreshed")
          logger.info("redis AUTH token re-read: new token", { event: "redis_token_refreshed" });
        if (e.kind === "token_unchanged")
          logger.warn("redis refused the AUTH token and the secret holds the same one", {
            event: "redis_token_unchanged",
          });
        if (e.kind === "token_read_failed")
          logger.warn("redis AUTH token could not be re-read", { event: "redis_token_read_failed", error: e.error });
      },
    },
  });
  let lastRedisError = "";
  redis.on("error", (error: Error) => {
    // ioredis repeats the error on every reconnect attempt: log each distinct one once.
    if (error.message === lastRedisError) return;
    lastRedisError = error.message;
    logger.warn("redis client error", { event: "redis_client_error", error: error.message });
  });
  redis.on("ready", () => {
    lastRedisError = "";
  });
  const sqs = new SQSClient({});
  const attrs = (a: Record<string, string>) =>
    Object.fromEntries(Object.entries(a).map(([k, v]) => [k, { DataType: "String", StringValue: v }]));
  const queue: QueueSender = {
    async requeue(body, delaySeconds, attributes) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          DelaySeconds: delaySeconds,
          MessageAttributes: attrs(attributes),
        }),
      );
    },
    async deadLetter(body, _reason, attributes) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: body, MessageAttributes: attrs(attributes) }),
      );
    },
  };
  return createRateLimiterHandler({
    redis,
    redisAuth,
    queue,
    onlyFans: createOnlyFansClient({
      url: onlyFansUrl,
      ...(token ? { token } : {}),
      timeoutMs: settings.value.httpTimeoutMs,
    }),
    settings: settings.value,
    logger,
  });
}

let built: Promise<Handler> | undefined;

export const handler: Handler = async (event, context) => {
  built ??= buildHandler().catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return (await built)(event, context);
};
