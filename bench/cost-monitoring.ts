// npm run bench:cost-monitoring -- [--json] [--entries N] [--small N] [--large N] [--help]
//
// EnhancedCostMonitoring against dynalite (a real DynamoDB API on loopback, in its own process, tables
// created from the component's own layout), side by side in one run:
//   writesPerSec         trackCost, one entry per call (conditional put), 16 calls in flight
//   batchWritesPerSec    trackCosts (BatchWriteItem, 25 per call, 8 calls in flight, validation included)
//   ceilingWritesPerSec  dynalite's own BatchWriteItem ceiling: the same items pre-marshalled, sent with
//                        the bare client at the same concurrency (no validation, no key building)
//   (and the raw conditional PutItem at concurrency 16: dynalite's ceiling for one-entry writes)
//   queryMsSmall/Large   getCostsByAgent(agent, { day }) for one agent's day (100 entries) on a table
//                        of --small (10,000) and one of --large (200,000) items, alternating: median of 30
// Seed goals (002 "Performance Tests"): ≥ 1,000 entries/s; ours: batch within 20 % of the ceiling,
// and the query time flat as the table grows (a key/index query, never a Scan).
// --json prints {writesPerSec, batchWritesPerSec, ceilingWritesPerSec, queryMsSmall, queryMsLarge}.

import { parseArgs } from "node:util";
import { BatchWriteItemCommand, type DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { AGENTS, type CostEntryInput, EnhancedCostMonitoring, PROVIDERS } from "../lambdas/cost-monitoring";
import { costItem, validateEntry } from "../lambdas/cost-monitoring/core";
import { createCostTables, startDynalite } from "../tools/services/dynalite";

const HELP = `usage: npm run bench:cost-monitoring -- [--json] [--entries N] [--small N] [--large N]

  --entries N  entries per write measurement (default 5000)
  --small N    items in the table for the first query measurement (default 10000)
  --large N    items in the table for the second query measurement (default 200000)
  --json       print {writesPerSec, batchWritesPerSec, ceilingWritesPerSec, queryMsSmall, queryMsLarge}
  --help       this text`;

const QUERY_AGENT = "marketing" as const;
const QUERY_DAY = "2026-11-15";
const ENTRIES_IN_QUERIED_DAY = 100;

let seq = 0;
/** A cost entry spread over November, every provider and agent except the queried agent's day. */
function filler(i: number): CostEntryInput {
  const day = String(1 + (i % 30)).padStart(2, "0");
  let agent = AGENTS[i % AGENTS.length]!;
  if (agent === QUERY_AGENT && `2026-11-${day}` === QUERY_DAY) agent = "content";
  return {
    requestId: `bench-${process.pid}-${++seq}`,
    provider: PROVIDERS[i % PROVIDERS.length]!,
    agent,
    type: i % 3 === 0 ? "gpt-4" : "gpt-3.5-turbo",
    amountMicroUsd: 1_000 + (i % 5_000),
    tokens: 100 + (i % 2_000),
    timestamp: `2026-11-${day}T${String(i % 24).padStart(2, "0")}:00:00Z`,
  };
}

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

async function rate(n: number, fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return Math.round(n / ((performance.now() - start) / 1000));
}

/** Raw BatchWriteItem at `concurrency`: the server's ceiling for these items. */
async function rawBatchWrite(client: DynamoDBClient, table: string, entries: CostEntryInput[], concurrency: number) {
  const items = entries.map((e) => ({ PutRequest: { Item: marshall(costItem(validateEntry(e), 90)) } }));
  const chunks: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  return rate(items.length, () =>
    pool(chunks.length, concurrency, async (i) => {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: chunks[i]! } }));
      if (Object.keys(out.UnprocessedItems ?? {}).length > 0) throw new Error("dynalite returned UnprocessedItems");
    }),
  );
}

/** Raw conditional PutItem at `concurrency`: the server's ceiling for one-entry writes. */
async function rawPut(client: DynamoDBClient, table: string, entries: CostEntryInput[], concurrency: number) {
  const items = entries.map((e) => marshall(costItem(validateEntry(e), 90)));
  return rate(items.length, () =>
    pool(items.length, concurrency, async (i) => {
      await client.send(
        new PutItemCommand({ TableName: table, Item: items[i]!, ConditionExpression: "attribute_not_exists(pk)" }),
      );
    }),
  );
}

async function queryMs(m: EnhancedCostMonitoring): Promise<number> {
  const start = performance.now();
  const report = await m.getCostsByAgent(QUERY_AGENT, { day: QUERY_DAY });
  const ms = performance.now() - start;
  if (report.entries !== ENTRIES_IN_QUERIED_DAY)
    throw new Error(`expected ${ENTRIES_IN_QUERIED_DAY} entries in the queried day, got ${report.entries}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 100) / 100;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: "boolean", default: false },
      entries: { type: "string", default: "5000" },
      small: { type: "string", default: "10000" },
      large: { type: "string", default: "200000" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const num = (key: "entries" | "small" | "large", min: number) => {
    const v = Number(values[key]);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${key} must be an integer ≥ ${min}, got ${values[key]}`);
    return v;
  };
  const entries = num("entries", 100);
  const small = num("small", ENTRIES_IN_QUERIED_DAY + 100);
  const large = num("large", small);
  const log = (s: string) => (values.json ? process.stderr : process.stdout).write(`${s}\n`);

  const dynalite = await startDynalite({ separateProcess: true });
  try {
    const client = dynalite.client({ maxAttempts: 3 });
    const fresh = async () => {
      const tables = await createCostTables(client);
      const m = new EnhancedCostMonitoring({
        costsTable: tables.costs,
        alertsTable: tables.alerts,
        monthlyBudgetUsd: 500,
        dynamodb: client,
        clock: () => new Date("2026-11-30T12:00:00Z"),
      });
      return { tables, m };
    };
    const batch = (n: number) => Array.from({ length: n }, (_, i) => filler(i));

    log(`dynalite ${dynalite.endpoint}; ${entries} entries per write measurement`);
    // Interleaved, fresh table each time, best of 2: the machine is shared and timings are noisy.
    const best = { single: 0, batch: 0, ceiling: 0, putCeiling: 0 };
    for (let round = 0; round < 2; round++) {
      const ceiling = await fresh();
      best.ceiling = Math.max(best.ceiling, await rawBatchWrite(client, ceiling.tables.costs, batch(entries), 8));
      const b = await fresh();
      const input = batch(entries);
      best.batch = Math.max(
        best.batch,
        await rate(entries, async () => {
          const r = await b.m.trackCosts(input);
          if (r.unprocessed.length > 0) throw new Error(`${r.unprocessed.length} entries left unprocessed`);
        }),
      );
      const p = await fresh();
      best.putCeiling = Math.max(best.putCeiling, await rawPut(client, p.tables.costs, batch(entries), 16));
      const s = await fresh();
      const singles = batch(entries);
      best.single = Math.max(
        best.single,
        await rate(entries, () =>
          pool(entries, 16, async (i) => {
            const r = await s.m.trackCost(singles[i]!);
            if (r.status !== "recorded") throw new Error(`entry ${i} was ${r.status}`);
          }),
        ),
      );
    }
    log(`  trackCost, concurrency 16      ${best.single} entries/s`);
    log(
      `  raw conditional PutItem, c. 16 ${best.putCeiling} entries/s (trackCost = ${Math.round((100 * best.single) / best.putCeiling)} % of it)`,
    );
    log(`  trackCosts (batch)             ${best.batch} entries/s`);
    log(
      `  raw BatchWriteItem (ceiling)   ${best.ceiling} entries/s (batch = ${Math.round((100 * best.batch) / best.ceiling)} % of it)`,
    );

    // Two tables, --small and --large items, each holding the same queried day (100 entries);
    // queries alternate between them so machine noise hits both alike.
    const queried = Array.from({ length: ENTRIES_IN_QUERIED_DAY }, (_, i) => ({
      ...filler(i),
      agent: QUERY_AGENT,
      timestamp: `${QUERY_DAY}T${String(i % 24).padStart(2, "0")}:30:00Z`,
    }));
    const load = async (table: string, n: number) => {
      await rawBatchWrite(
        client,
        table,
        queried.map((e) => ({ ...e })),
        8,
      );
      for (let done = ENTRIES_IN_QUERIED_DAY; done < n; done += 20_000)
        await rawBatchWrite(client, table, batch(Math.min(20_000, n - done)), 8);
    };
    const smallTable = await fresh();
    const largeTable = await fresh();
    const loadStart = performance.now();
    await load(smallTable.tables.costs, small);
    await load(largeTable.tables.costs, large);
    log(`  (loaded ${small} + ${large} items in ${Math.round((performance.now() - loadStart) / 1000)} s)`);
    const times = { small: [] as number[], large: [] as number[] };
    for (let i = 0; i < 30; i++) {
      times.small.push(await queryMs(smallTable.m));
      times.large.push(await queryMs(largeTable.m));
    }
    const queryMsSmall = median(times.small);
    const queryMsLarge = median(times.large);
    log(`  one agent's day (100 entries), table of ${small} items    ${queryMsSmall} ms (median of 30)`);
    log(`  one agent's day (100 entries), table of ${large} items   ${queryMsLarge} ms (median of 30)`);

    if (values.json)
      process.stdout.write(
        `${JSON.stringify({
          writesPerSec: best.single,
          batchWritesPerSec: best.batch,
          ceilingWritesPerSec: best.ceiling,
          queryMsSmall,
          queryMsLarge,
        })}\n`,
      );
  } finally {
    await dynalite.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:cost-monitoring failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
