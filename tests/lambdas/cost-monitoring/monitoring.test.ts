// EnhancedCostMonitoring against a real DynamoDB API (dynalite): conditional writes, queries on the
// base table and on the indexes, TTL filtering. aws-sdk-client-mock only where dynalite cannot
// help: UnprocessedItems (dynalite never returns them) and SNS (no local SNS; its failures).

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type AwsStub, mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { after, afterEach, before, beforeEach, describe, it } from "mocha";
import {
  COST_MONITORING_ENV,
  type CostEntryInput,
  CostInputError,
  type CostMonitoringOptions,
  EnhancedCostMonitoring,
} from "../../../lambdas/cost-monitoring";
import { createCostTables, type RunningDynalite, startDynalite } from "../../../tools/services/dynalite";

const NOW = new Date("2026-11-30T12:00:00Z");
const TOPIC = "arn:aws:sns:us-east-1:317805897534:huntaze-cost-alerts-test";

let seq = 0;
/** A cost entry (factory): unique request id unless given. */
const entry = (over: Partial<CostEntryInput> = {}): CostEntryInput => ({
  requestId: `req-${++seq}`,
  provider: "openai",
  agent: "content",
  type: "gpt-4",
  amountUsd: "0.01",
  tokens: 100,
  timestamp: "2026-11-30T10:00:00Z",
  ...over,
});

describe("EnhancedCostMonitoring on dynalite", function () {
  this.timeout(60_000);
  let dynalite: RunningDynalite;
  let client: DynamoDBClient;
  let tables: { costs: string; alerts: string };
  let sleeps: number[];
  const sent: string[] = [];

  before(async () => {
    dynalite = await startDynalite();
    client = dynalite.client();
    // Every command the library sends, to prove there is never a Scan.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: "initialize", name: "recordCommands" },
    );
  });
  after(async () => dynalite.stop());
  beforeEach(async () => {
    tables = await createCostTables(client);
    sleeps = [];
  });

  const monitoring = (over: Partial<CostMonitoringOptions> = {}) =>
    new EnhancedCostMonitoring({
      costsTable: tables.costs,
      alertsTable: tables.alerts,
      alertTopicArn: TOPIC,
      monthlyBudgetUsd: 10,
      environment: "test",
      dynamodb: client,
      clock: () => NOW,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      ...over,
    });

  const rawItem = async (table: string, pk: string, sk: string) => {
    const out = await DynamoDBDocumentClient.from(client).send(new GetCommand({ TableName: table, Key: { pk, sk } }));
    return out.Item;
  };

  describe("trackCost", () => {
    it("records an entry with a TTL in epoch seconds 90 days after the request", async () => {
      const m = monitoring();
      expect(await m.trackCost(entry({ requestId: "abc", amountUsd: "0.0125" }))).to.deep.equal({ status: "recorded" });
      const item = await rawItem(tables.costs, "COST#2026-11-30#openai", "content#gpt-4#abc");
      expect(item).to.deep.include({
        amountMicroUsd: 12_500,
        tokens: 100,
        requests: 1,
        agentMonth: "AGENT#content#2026-11",
      });
      expect(item?.ttl).to.equal(Date.parse("2026-11-30T10:00:00Z") / 1000 + 90 * 86_400);
    });

    it("counts a retried request once, and once only when 16 writers race on it", async () => {
      const m = monitoring();
      const e = entry({ amountUsd: "1.5" });
      expect(await m.trackCost(e)).to.deep.equal({ status: "recorded" });
      expect(await m.trackCost(e)).to.deep.equal({ status: "duplicate" });
      const racing = entry({ amountUsd: "2" });
      const results = await Promise.all(Array.from({ length: 16 }, () => m.trackCost(racing)));
      expect(results.filter((r) => r.status === "recorded")).to.have.length(1);
      expect((await m.getDailyCosts("2026-11-30")).totalMicroUsd).to.equal(3_500_000);
    });

    it("sums many small amounts exactly (integer micro-USD)", async () => {
      const m = monitoring();
      await Promise.all(Array.from({ length: 30 }, () => m.trackCost(entry({ amountUsd: 0.1 }))));
      const day = await m.getDailyCosts("2026-11-30");
      expect(day.totalMicroUsd).to.equal(3_000_000);
      expect(day.totalUsd).to.equal(3);
    });

    it("rejects bad input with a clear error and writes nothing", async () => {
      const m = monitoring();
      const bad: [Partial<CostEntryInput>, RegExp][] = [
        [{ amountUsd: -1 }, /amountUsd must be a non-negative amount/],
        [{ provider: "anthropic" as never }, /provider must be one of openai, azure, got "anthropic"/],
        [{ timestamp: "not a date" }, /timestamp must be an ISO 8601 date-time/],
      ];
      for (const [over, message] of bad) {
        let error: unknown;
        await m.trackCost(entry(over)).catch((e) => {
          error = e;
        });
        expect(error).to.be.instanceOf(CostInputError);
        expect((error as Error).message).to.match(message);
      }
      expect((await m.getDailyCosts("2026-11-30")).entries).to.equal(0);
      let batchError: unknown;
      await m.trackCosts([entry(), entry({ amountUsd: "-0.5" }), entry()]).catch((e) => {
        batchError = e;
      });
      expect((batchError as CostInputError).problems).to.deep.equal([
        'entries[1].amountUsd must be a non-negative amount up to 100000 USD, got "-0.5"',
      ]);
      expect((await m.getDailyCosts("2026-11-30")).entries).to.equal(0);
      await m.getDailyCosts("2026-13-01").then(
        () => expect.fail("a non-date was accepted"),
        (e) => expect(String(e)).to.match(/date must be a calendar date YYYY-MM-DD, got "2026-13-01"/),
      );
    });
  });

  describe("queries", () => {
    async function seed(m: EnhancedCostMonitoring) {
      await m.trackCosts([
        entry({ agent: "content", provider: "openai", amountUsd: "1" }),
        entry({ agent: "content", provider: "azure", type: "gpt-35-turbo", amountUsd: "0.5" }),
        entry({ agent: "content", provider: "openai", amountUsd: "2", timestamp: "2026-11-02T08:00:00Z" }),
        entry({ agent: "chatbot", provider: "openai", type: "gpt-3.5-turbo", amountUsd: "0.25" }),
        entry({ agent: "content", provider: "openai", amountUsd: "4", timestamp: "2026-10-31T23:00:00Z" }),
      ]);
    }

    it("answers a day and a month per agent and per provider from keys and indexes, never a Scan", async () => {
      const m = monitoring();
      await seed(m);
      sent.length = 0;
      const agentDay = await m.getCostsByAgent("content", { day: "2026-11-30" });
      expect(agentDay.totalMicroUsd).to.equal(1_500_000);
      expect(agentDay.totals.map((t) => [t.provider, t.type, t.amountMicroUsd])).to.deep.equal([
        ["azure", "gpt-35-turbo", 500_000],
        ["openai", "gpt-4", 1_000_000],
      ]);
      expect((await m.getCostsByAgent("content", { month: "2026-11" })).totalMicroUsd).to.equal(3_500_000);
      expect((await m.getCostsByAgent("content", { month: "2026-10" })).totalMicroUsd).to.equal(4_000_000);
      const providerDay = await m.getCostsByProvider("openai", { day: "2026-11-30" });
      expect(providerDay.totals.map((t) => [t.agent, t.amountMicroUsd])).to.deep.equal([
        ["chatbot", 250_000],
        ["content", 1_000_000],
      ]);
      expect((await m.getCostsByProvider("openai", { month: "2026-11" })).totalMicroUsd).to.equal(3_250_000);
      const day = await m.getDailyCosts("2026-11-30");
      expect(day.byProvider).to.deep.equal({ openai: 1_250_000, azure: 500_000 });
      expect(sent.length).to.be.greaterThan(0);
      expect(sent.filter((c) => c !== "QueryCommand")).to.deep.equal([]);
    });

    it("ignores entries whose TTL has passed but that DynamoDB has not deleted yet", async () => {
      // Written with a 1-day retention, read 2 days later: still stored, no longer counted.
      await monitoring({ costsTtlDays: 1 }).trackCost(entry({ requestId: "old", amountUsd: "3" }));
      const later = monitoring({ clock: () => new Date("2026-12-02T10:00:01Z") });
      expect(await rawItem(tables.costs, "COST#2026-11-30#openai", "content#gpt-4#old")).to.not.equal(undefined);
      expect((await later.getDailyCosts("2026-11-30")).totalMicroUsd).to.equal(0);
      expect((await later.getCostsByAgent("content", { day: "2026-11-30" })).entries).to.equal(0);
      expect((await monitoring().getDailyCosts("2026-11-30")).totalMicroUsd).to.equal(3_000_000);
    });
  });

  describe("trackCosts (batch)", () => {
    it("writes 25 at a time and sends a repeated entry once", async () => {
      const m = monitoring();
      const entries = Array.from({ length: 60 }, () => entry());
      const result = await m.trackCosts([...entries, entries[0]!, entries[1]!]);
      expect(result).to.deep.include({ written: 60, duplicatesInInput: 2, calls: 3 });
      expect(result.unprocessed).to.deep.equal([]);
      expect((await m.getDailyCosts("2026-11-30")).totalMicroUsd).to.equal(600_000);
    });

    describe("with UnprocessedItems (mocked: dynalite never returns them)", () => {
      // biome-ignore lint/suspicious/noExplicitAny: the stub's generic types are the client's
      let ddb: AwsStub<any, any, any>;
      before(() => {
        ddb = mockClient(DynamoDBDocumentClient);
      });
      afterEach(() => ddb.reset());
      after(() => ddb.restore());

      it("resends UnprocessedItems with capped, jittered backoff until they are taken", async () => {
        const m = monitoring({ batch: { baseDelayMs: 100, maxDelayMs: 250, maxAttempts: 8 } });
        const entries = [entry(), entry(), entry()];
        let call = 0;
        ddb.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, unknown[]> }) => {
          call++;
          const requests = input.RequestItems[tables.costs]!;
          // Three calls leave the last item unprocessed, the fourth takes it.
          return { UnprocessedItems: call < 4 ? { [tables.costs]: requests.slice(-1) } : {} };
        });
        const result = await m.trackCosts(entries);
        expect(result).to.deep.include({ written: 3, calls: 4 });
        expect(result.unprocessed).to.deep.equal([]);
        // random() = 0.5: half of min(cap, base * 2^attempt).
        expect(sleeps).to.deep.equal([100, 125, 125]);
      });

      it("reports what is still unprocessed after the last attempt", async () => {
        const m = monitoring({ batch: { maxAttempts: 3 } });
        const entries = [entry({ requestId: "keeps-failing" }), entry()];
        ddb
          .on(BatchWriteCommand)
          .callsFake((input: { RequestItems: Record<string, { PutRequest: { Item: { requestId: string } } }[]> }) => ({
            UnprocessedItems: {
              [tables.costs]: input.RequestItems[tables.costs]!.filter(
                (r) => r.PutRequest.Item.requestId === "keeps-failing",
              ),
            },
          }));
        const result = await m.trackCosts(entries);
        expect(result.written).to.equal(1);
        expect(result.calls).to.equal(3);
        expect(result.unprocessed.map((e) => e.requestId)).to.deep.equal(["keeps-failing"]);
        expect(ddb.commandCalls(QueryCommand)).to.have.length(0);
      });
    });
  });

  describe("checkBudgetThreshold", () => {
    // biome-ignore lint/suspicious/noExplicitAny: the stub's generic types are the client's
    let sns: AwsStub<any, any, any>;
    before(() => {
      sns = mockClient(SNSClient);
    });
    afterEach(() => sns.reset());
    after(() => sns.restore());
    const snsClient = () => new SNSClient({ region: "us-east-1" });

    const spend = async (m: EnhancedCostMonitoring, usd: string, day = "2026-11-15") =>
      m.trackCost(entry({ amountUsd: usd, timestamp: `${day}T09:00:00Z` }));

    it("alerts once at 80 % and once at 100 % of the month, with the SNS message and a record", async () => {
      sns.on(PublishCommand).resolves({ MessageId: "m-1" });
      const m = monitoring({ sns: snsClient() });
      await spend(m, "7.99");
      await spend(m, "9", "2026-10-20"); // last month: not counted
      const below = await m.checkBudgetThreshold();
      expect(below).to.deep.include({ spentMicroUsd: 7_990_000, exceeded: false, pendingNotifications: 0 });
      expect(below.crossed).to.deep.equal([]);
      await spend(m, "0.01");
      const at80 = await m.checkBudgetThreshold();
      expect(at80.crossed).to.deep.equal([80]);
      expect(at80.alerts).to.deep.equal([
        { id: "budget-2026-11-80", percent: 80, severity: "warning", created: true, notified: true },
      ]);
      expect((await m.checkBudgetThreshold()).alerts).to.deep.equal([]);
      await spend(m, "2.5");
      const over = await m.checkBudgetThreshold();
      expect(over).to.deep.include({ exceeded: true, spentMicroUsd: 10_500_000, percentUsed: 105 });
      expect(over.alerts.map((a) => [a.percent, a.severity, a.created])).to.deep.equal([[100, "critical", true]]);

      const publishes = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
      expect(publishes).to.have.length(2);
      expect(publishes[0]).to.deep.include({ TopicArn: TOPIC });
      expect(publishes[0]?.Message).to.equal(
        "Huntaze AI spend (test environment) reached 80 % of the monthly budget for 2026-11: $8.00 of $10.00 month-to-date (tracked AI requests, UTC).",
      );
      const stored = await rawItem(tables.alerts, "ALERT#budget-2026-11-100", "2026-11-01T00:00:00Z");
      expect(stored).to.deep.include({
        alertType: "budget_threshold",
        severity: "critical",
        notified: true,
        amountMicroUsd: 10_500_000,
        thresholdMicroUsd: 10_000_000,
      });
      expect(stored).to.not.have.property("pending");
      expect(stored?.ttl).to.equal(Date.parse("2026-12-30T12:00:00Z") / 1000);
    });

    it("creates one alert per threshold per month when eight checkers race", async () => {
      sns.on(PublishCommand).resolves({ MessageId: "m-1" });
      const checkers = Array.from({ length: 8 }, () => monitoring({ sns: snsClient() }));
      await spend(checkers[0]!, "12");
      const results = await Promise.all(checkers.map((c) => c.checkBudgetThreshold()));
      const created = results.flatMap((r) => r.alerts.filter((a) => a.created).map((a) => a.percent));
      expect(created.sort()).to.deep.equal([100, 80]);
      expect(sns.commandCalls(PublishCommand)).to.have.length(2);
    });

    it("keeps an alert SNS refused three times (notified = false) and sends it on the next check", async () => {
      sns.on(PublishCommand).rejects(Object.assign(new Error("KMS key disabled"), { name: "KMSDisabledException" }));
      const m = monitoring({ sns: snsClient() });
      await spend(m, "8.5");
      const failed = await m.checkBudgetThreshold();
      expect(failed.alerts).to.deep.equal([
        { id: "budget-2026-11-80", percent: 80, severity: "warning", created: true, notified: false },
      ]);
      expect(failed.pendingNotifications).to.equal(1);
      expect(sns.commandCalls(PublishCommand)).to.have.length(3);
      expect(sleeps).to.deep.equal([200, 400]);
      const kept = await rawItem(tables.alerts, "ALERT#budget-2026-11-80", "2026-11-01T00:00:00Z");
      expect(kept).to.deep.include({ notified: false, pending: "PENDING", attempts: 3 });
      expect(kept?.lastError).to.equal("KMSDisabledException: KMS key disabled");

      sns.reset();
      sns.on(PublishCommand).resolves({ MessageId: "m-2" });
      const retried = await m.checkBudgetThreshold();
      expect(retried.alerts).to.deep.equal([
        { id: "budget-2026-11-80", percent: 80, severity: "warning", created: false, notified: true },
      ]);
      expect(retried.pendingNotifications).to.equal(0);
      expect(sns.commandCalls(PublishCommand)).to.have.length(1);
      const sentNow = await rawItem(tables.alerts, "ALERT#budget-2026-11-80", "2026-11-01T00:00:00Z");
      expect(sentNow).to.deep.include({ notified: true, attempts: 4 });
      expect(sentNow).to.not.have.property("pending");
      expect((await m.checkBudgetThreshold()).alerts).to.deep.equal([]);
    });

    it("refuses to check without a topic, and reads its settings from the component's environment", async () => {
      const m = monitoring({ alertTopicArn: undefined });
      await m.checkBudgetThreshold().then(
        () => expect.fail("checked without a topic"),
        (e) => expect(String(e)).to.match(/alertTopicArn must be set/),
      );
      expect(() => EnhancedCostMonitoring.fromEnvironment({})).to.throw(
        CostInputError,
        `environment variable ${COST_MONITORING_ENV.costsTable} is not set; environment variable ${COST_MONITORING_ENV.alertsTable} is not set; environment variable ${COST_MONITORING_ENV.monthlyBudgetUsd} is not set`,
      );
      sns.on(PublishCommand).resolves({ MessageId: "m-3" });
      const fromEnv = EnhancedCostMonitoring.fromEnvironment(
        {
          [COST_MONITORING_ENV.costsTable]: tables.costs,
          [COST_MONITORING_ENV.alertsTable]: tables.alerts,
          [COST_MONITORING_ENV.alertTopicArn]: TOPIC,
          [COST_MONITORING_ENV.monthlyBudgetUsd]: "2",
        },
        { dynamodb: client, sns: snsClient(), clock: () => NOW },
      );
      await spend(fromEnv, "2");
      expect((await fromEnv.checkBudgetThreshold()).crossed).to.deep.equal([80, 100]);
    });
  });
});
