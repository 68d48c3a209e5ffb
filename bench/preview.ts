// `npm run bench:preview [-- --runs N --resources N --json --preview-only | --policy-only]`
// Side by side in one run, each the median of N runs interleaved (so machine noise hits all alike):
//   - the floor: a Node process that only loads @pulumi/pulumi, @pulumi/aws and @pulumi/policy;
//   - the offline production preview as `npm run preview` runs it: with its type check (the default,
//     as `pulumi preview` type-checks), with --transpile-only, then with --cost --diagram;
//   - `policy:check` on a generated stack export of 5,000 resources and on a small one (its time
//     should grow no worse than linearly: the text output prints the big/small time ratio).
// Ratios to the floor are what count on a shared machine. `--json` prints the medians.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import { HardenedBucket } from "../components/hardened-bucket";
import { parseOrExit, positiveInteger } from "../tools/cli/options";
import { OfflineMocks } from "../tools/engine/mocks";
import { readProject } from "../tools/engine/project";
import { runProgram } from "../tools/engine/recorder";
import { toStackExport } from "../tools/engine/state-file";

const repoRoot = path.resolve(__dirname, "..");

/** How `npm run preview` and `npm run policy:check` load TypeScript (package.json), without npm's and bootstrap's own start. */
const FAST_TS = ["-r", "./tools/register.js"];

function timeCommand(args: string[], expectCodes: number[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    cwd: repoRoot,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status === null || !expectCodes.includes(result.status))
    throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return seconds;
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)] ?? 0,
    min: sorted[0] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
  };
}

/** A stack of roughly `target` resources: hardened buckets plus queues, topics, keys and security groups, some non-compliant. */
async function generateExport(target: number, file: string): Promise<number> {
  const program = async () => {
    for (let i = 0, count = 0; count < target; i++) {
      new HardenedBucket(`bucket-${i}`, { intelligentTieringAfterDays: 30 });
      new aws.sqs.Queue(`queue-${i}`, { sqsManagedSseEnabled: i % 2 === 0, receiveWaitTimeSeconds: 20 });
      new aws.sns.Topic(`topic-${i}`, {});
      new aws.kms.Key(`key-${i}`, { enableKeyRotation: i % 3 !== 0 });
      new aws.ec2.SecurityGroup(`sg-${i}`, {
        description: "bench",
        ingress: [
          {
            protocol: "tcp",
            fromPort: 6379,
            toPort: 6379,
            cidrBlocks: [i % 10 === 0 ? "0.0.0.0/0" : "10.0.0.0/16"],
            description: "redis",
          },
        ],
      });
      count += 12; // the bucket component and its 7 children, plus the 4 standalone resources
    }
    return undefined;
  };
  const run = await runProgram(program, {
    project: readProject(repoRoot).name,
    stack: "bench",
    mocks: new OfflineMocks({ accountId: "123456789012", region: "us-east-1" }),
    config: { "aws:region": "us-east-1" },
  });
  fs.writeFileSync(file, JSON.stringify(toStackExport("bench", run.resources)));
  return run.resources.length;
}

async function main() {
  const flags = parseOrExit(
    process.argv.slice(2),
    {
      runs: { type: "string", placeholder: "N", help: "runs per command; the median is reported (default 5)" },
      resources: { type: "string", placeholder: "N", help: "resources in the generated stack export (default 5000)" },
      json: {
        type: "boolean",
        help: "print one JSON line: the medians (previewSeconds with the type check, previewTranspileOnlySeconds, previewExtrasSeconds, floorSeconds, policyCheckSmallSeconds, policyCheck5kSeconds)",
      },
      "preview-only": { type: "boolean", help: "only the floor and the previews (no policy:check runs)" },
      "policy-only": { type: "boolean", help: "only the floor and the two policy:check runs (no previews)" },
    },
    "usage: npm run bench:preview -- [--runs N] [--resources N] [--json] [--preview-only | --policy-only]",
  );
  const runs = positiveInteger("runs", flags.runs, 5);
  const target = positiveInteger("resources", flags.resources, 5000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "huntaze-bench-"));
  const big = path.join(dir, "big.json");
  const small = path.join(dir, "small.json");
  const previewOnly = Boolean(flags["preview-only"]);
  const policyOnly = Boolean(flags["policy-only"]);
  if (previewOnly && policyOnly) {
    console.error("--preview-only and --policy-only are exclusive (give neither to run every row)");
    process.exit(2);
  }
  const bigCount = previewOnly ? 0 : await generateExport(target, big);
  const smallCount = previewOnly ? 0 : await generateExport(13, small);
  const diagram = path.join(dir, "architecture.svg");
  // Warm the policy pack bundle and the transpile cache so no run pays for a one-off build.
  if (!previewOnly) timeCommand([...FAST_TS, "tools/policy-check.ts", "--state", small, "--quiet"], [0, 1]);
  if (!policyOnly)
    timeCommand(
      [...FAST_TS, "tools/preview.ts", "--stack", "production", "--quiet", "--cost", "--diagram", diagram],
      [0, 1],
    );

  const commands = {
    floor: ["-e", 'require("@pulumi/pulumi"); require("@pulumi/aws"); require("@pulumi/policy");'],
    preview: [...FAST_TS, "tools/preview.ts", "--stack", "production", "--json", "--quiet"],
    previewTranspileOnly: [
      ...FAST_TS,
      "tools/preview.ts",
      "--stack",
      "production",
      "--json",
      "--quiet",
      "--transpile-only",
    ],
    previewExtras: [
      ...FAST_TS,
      "tools/preview.ts",
      "--stack",
      "production",
      "--json",
      "--quiet",
      "--cost",
      "--diagram",
      diagram,
    ],
    checkSmall: [...FAST_TS, "tools/policy-check.ts", "--state", small, "--json", "--quiet"],
    checkBig: [...FAST_TS, "tools/policy-check.ts", "--state", big, "--json", "--quiet"],
  };
  const samples: Record<keyof typeof commands, number[]> = {
    floor: [],
    preview: [],
    previewTranspileOnly: [],
    previewExtras: [],
    checkSmall: [],
    checkBig: [],
  };
  // --preview-only skips the two policy:check rows (the slow half of the bench), --policy-only the previews.
  const measured = (Object.keys(commands) as (keyof typeof commands)[]).filter(
    (k) => k === "floor" || (k.startsWith("check") ? !previewOnly : !policyOnly),
  );
  for (let i = 0; i < runs; i++) for (const key of measured) samples[key].push(timeCommand(commands[key], [0, 1]));
  const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, stats(v)])) as Record<
    keyof typeof commands,
    ReturnType<typeof stats>
  >;

  if (flags.json) {
    console.log(
      JSON.stringify({
        // The preview as users run it: the type check included (an unchanged program's check is a
        // stamp comparison; tools/engine/typecheck.ts).
        previewSeconds: samples.preview.length ? s.preview.median : null,
        previewTranspileOnlySeconds: samples.previewTranspileOnly.length ? s.previewTranspileOnly.median : null,
        previewExtrasSeconds: samples.previewExtras.length ? s.previewExtras.median : null,
        floorSeconds: s.floor.median,
        policyCheckSmallSeconds: samples.checkSmall.length ? s.checkSmall.median : null,
        // The generated export's size is --resources (default 5,000, which makes 5,005 resources).
        policyCheck5kSeconds: samples.checkBig.length ? s.checkBig.median : null,
        policyCheckResources: samples.checkBig.length ? { small: smallCount, big: bigCount } : null,
        runs,
      }),
    );
    return;
  }
  const row = (label: string, r: ReturnType<typeof stats>, ratio?: string) =>
    console.log(
      `  ${label.padEnd(46)} median ${r.median.toFixed(2)} s  (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)})${ratio ? `  ${ratio}` : ""}`,
    );
  const toFloor = (r: ReturnType<typeof stats>) => `${(r.median / s.floor.median).toFixed(2)}x the floor`;
  console.log(
    `machine: ${os.cpus().length} cores, node ${process.version}; median of ${runs} interleaved runs, wall time of the whole command`,
  );
  row("floor: load @pulumi/pulumi, /aws, /policy", s.floor, "1.00x");
  const previewed = samples.preview.length > 0;
  if (previewed) {
    row("preview --stack production (with type check)", s.preview, toFloor(s.preview));
    row("preview --stack production --transpile-only", s.previewTranspileOnly, toFloor(s.previewTranspileOnly));
    row("preview --stack production --cost --diagram .svg", s.previewExtras, toFloor(s.previewExtras));
  }
  const checked = samples.checkBig.length > 0;
  if (checked) {
    row(`policy:check, ${smallCount}-resource export`, s.checkSmall, toFloor(s.checkSmall));
    row(`policy:check, ${bigCount}-resource export`, s.checkBig, toFloor(s.checkBig));
  }
  const previewRatio = s.preview.median / s.floor.median;
  const extras = s.previewExtras.median / s.preview.median - 1;
  if (checked)
    console.log(
      `  policy:check ${bigCount} vs ${smallCount} resources: ${(s.checkBig.median / s.checkSmall.median).toFixed(2)}x the time for ${(bigCount / smallCount).toFixed(0)}x the resources`,
    );
  const goals = [
    ...(previewed
      ? [
          `preview < 5 s -> ${s.preview.median < 5 ? "met" : "MISSED"} (${(s.preview.median / 5).toFixed(2)} of budget)`,
          `preview with its type check within 3x the floor -> ${previewRatio <= 3 ? "met" : "MISSED"} (${previewRatio.toFixed(2)}x)`,
          `--cost --diagram adds < 20 % -> ${extras < 0.2 ? "met" : "MISSED"} (${(extras * 100).toFixed(1)} %)`,
        ]
      : []),
    ...(checked
      ? [
          `policy:check ${bigCount} < 3 s -> ${s.checkBig.median < 3 ? "met" : "MISSED"} (${(s.checkBig.median / 3).toFixed(2)} of budget)`,
        ]
      : []),
  ];
  console.log(`  goals: ${goals.join("; ")}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
