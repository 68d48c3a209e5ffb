// A real DynamoDB API for tests and benches: dynalite (LevelDB in memory) on a loopback port, with
// the cost tables created from the same layout the CostTracking component deploys
// (lambdas/cost-monitoring/contract.ts), so tests query the same keys and indexes as production.
// dynalite has no transactions, no UpdateTimeToLive and never returns UnprocessedItems: those are
// the only things tests mock (aws-sdk-client-mock).

import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import * as net from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ALERTS_TABLE, COSTS_TABLE, type TableLayout } from "../../lambdas/cost-monitoring/contract";

// dynalite ships no types: the one function used here.
// biome-ignore lint/suspicious/noExplicitAny: untyped CommonJS module
const createDynalite: (options: Record<string, unknown>) => import("node:http").Server = require("dynalite") as any;

export interface RunningDynalite {
  readonly endpoint: string;
  /** A client for this server (static fake credentials, retries off so failures show). */
  client(options?: { maxAttempts?: number }): DynamoDBClient;
  stop(): Promise<void>;
}

export interface DynaliteOptions {
  /**
   * Run the server in its own Node process (dynalite's CLI), so a client that keeps its own event
   * loop busy (a benchmark) does not share one thread with the server.
   * @default false - in this process
   */
  readonly separateProcess?: boolean;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function serve(options: DynaliteOptions): Promise<{ port: number; close(): Promise<void> }> {
  if (options.separateProcess) {
    const port = await freePort();
    const cli = require.resolve("dynalite/cli.js");
    const child = spawn(
      process.execPath,
      [cli, "--host", "127.0.0.1", "--port", String(port), "--createTableMs", "0", "--deleteTableMs", "0"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    await new Promise<void>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`dynalite did not start on ${port}: ${out}`)), 15_000);
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("listening")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`dynalite exited with ${code}: ${out}`));
      });
    });
    return {
      port,
      close: () =>
        new Promise<void>((resolve) => {
          child.removeAllListeners("exit");
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    };
  }
  const server = createDynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function startDynalite(options: DynaliteOptions = {}): Promise<RunningDynalite> {
  const server = await serve(options);
  const endpoint = `http://127.0.0.1:${server.port}`;
  const clients: DynamoDBClient[] = [];
  return {
    endpoint,
    client(clientOptions = {}) {
      const c = new DynamoDBClient({
        endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: clientOptions.maxAttempts ?? 1,
      });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.destroy();
      await server.close();
    },
  };
}

/** CreateTable input of a contract layout: on-demand, string keys, the layout's indexes. */
export function createTableInput(tableName: string, layout: TableLayout) {
  const keys = new Set([
    layout.hashKey,
    layout.rangeKey,
    ...layout.globalSecondaryIndexes.flatMap((i) => [i.hashKey, i.rangeKey]),
  ]);
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST" as const,
    AttributeDefinitions: [...keys].map((AttributeName) => ({ AttributeName, AttributeType: "S" as const })),
    KeySchema: [
      { AttributeName: layout.hashKey, KeyType: "HASH" as const },
      { AttributeName: layout.rangeKey, KeyType: "RANGE" as const },
    ],
    GlobalSecondaryIndexes: layout.globalSecondaryIndexes.map((i) => ({
      IndexName: i.name,
      KeySchema: [
        { AttributeName: i.hashKey, KeyType: "HASH" as const },
        { AttributeName: i.rangeKey, KeyType: "RANGE" as const },
      ],
      Projection: { ProjectionType: i.projectionType },
    })),
  };
}

let counter = 0;

/** Creates a fresh pair of cost tables (unique names) and returns their names. */
export async function createCostTables(client: DynamoDBClient): Promise<{ costs: string; alerts: string }> {
  counter++;
  const names = { costs: `costs-${process.pid}-${counter}`, alerts: `alerts-${process.pid}-${counter}` };
  await client.send(new CreateTableCommand(createTableInput(names.costs, COSTS_TABLE)));
  await client.send(new CreateTableCommand(createTableInput(names.alerts, ALERTS_TABLE)));
  return names;
}
