// `npm run bench:preview [-- --runs N --resources N]`
// Wall time of the main job (offline production preview, as a user runs it) and of `policy:check`
// on a generated stack export of 5,000 resources, each the median of N runs, side by side with
// the same commands on small inputs so the per-resource cost is visible.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import { HardenedBucket } from "../components/hardened-bucket";
import { record } from "../tests/support/pulumi-harness";
import { parseOrExit, positiveInteger } from "../tools/cli/options";
import { toStackExport } from "../tools/engine/state-file";

const repoRoot = path.resolve(__dirname, "..");

function timeCommand(args: string[], expectCodes: number[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", ...args], {
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
  const run = await record(() => {
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
    },
    "usage: npm run bench:preview -- [--runs N] [--resources N]",
  );
  const runs = positiveInteger("runs", flags.runs, 5);
  const target = positiveInteger("resources", flags.resources, 5000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "huntaze-bench-"));
  const big = path.join(dir, "big.json");
  const small = path.join(dir, "small.json");
  const bigCount = await generateExport(target, big);
  const smallCount = await generateExport(13, small);
  // Warm the policy pack bundle cache so no run pays for the one-off esbuild step.
  timeCommand(["tools/policy-check.ts", "--state", small, "--quiet"], [0, 1]);

  const measure = (label: string, args: string[]) => {
    const samples = Array.from({ length: runs }, () => timeCommand(args, [0, 1]));
    return { label, ...stats(samples) };
  };
  const rows = [
    measure("preview --stack production (main job)", [
      "tools/preview.ts",
      "--stack",
      "production",
      "--json",
      "--quiet",
    ]),
    measure(`policy:check, ${smallCount}-resource export`, [
      "tools/policy-check.ts",
      "--state",
      small,
      "--json",
      "--quiet",
    ]),
    measure(`policy:check, ${bigCount}-resource export`, [
      "tools/policy-check.ts",
      "--state",
      big,
      "--json",
      "--quiet",
    ]),
  ];
  console.log(
    `machine: ${os.cpus().length} cores, node ${process.version}; median of ${runs} runs, wall time of the whole command`,
  );
  for (const r of rows)
    console.log(
      `  ${r.label.padEnd(44)} median ${r.median.toFixed(2)} s  (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)})`,
    );
  const [preview, checkSmall, checkBig] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
  console.log(
    `  policy:check ${bigCount} vs ${smallCount} resources: ${(checkBig.median / checkSmall.median).toFixed(2)}x the time for ${(bigCount / smallCount).toFixed(0)}x the resources`,
  );
  console.log(
    `  goals: preview < 5 s -> ${preview.median < 5 ? "met" : "MISSED"} (${(preview.median / 5).toFixed(2)} of budget); policy:check 5,000 < 10 s -> ${checkBig.median < 10 ? "met" : "MISSED"} (${(checkBig.median / 10).toFixed(2)} of budget)`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
