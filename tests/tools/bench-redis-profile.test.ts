// bench/redis-profile.ts: INFO parsing and per-operation deltas, with a scripted INFO source.

import { expect } from "chai";
import { CellProfiler, formatProfile, infoField, parseCommandStats } from "../../bench/redis-profile";

function info(o: {
  evalsha: [number, number];
  get?: [number, number];
  info: [number, number];
  cpu: number;
  netIn: number;
}): string {
  const stat = (name: string, [calls, usec]: [number, number]) =>
    `cmdstat_${name}:calls=${calls},usec=${usec},usec_per_call=${(usec / Math.max(1, calls)).toFixed(2)},rejected_calls=0,failed_calls=0`;
  return [
    "# Stats",
    `total_net_input_bytes:${o.netIn}`,
    `total_net_output_bytes:${o.netIn / 2}`,
    "# CPU",
    `used_cpu_sys:${(o.cpu / 2).toFixed(6)}`,
    `used_cpu_user:${(o.cpu / 2).toFixed(6)}`,
    "# Commandstats",
    stat("evalsha", o.evalsha),
    ...(o.get === undefined ? [] : [stat("get", o.get)]),
    stat("info", o.info),
    "",
  ].join("\r\n");
}

describe("bench/redis-profile", () => {
  it("parses INFO commandstats lines and numeric fields", () => {
    const text = info({ evalsha: [10, 150], get: [10, 20], info: [1, 5], cpu: 2, netIn: 1000 });
    const stats = parseCommandStats(text);
    expect([...stats.keys()]).to.deep.equal(["evalsha", "get", "info"]);
    expect(stats.get("evalsha")).to.deep.equal({ calls: 10, usec: 150 });
    expect(infoField(text, "used_cpu_user")).to.equal(1);
    expect(infoField(text, "total_net_input_bytes")).to.equal(1000);
    expect(infoField(text, "no_such_field")).to.be.NaN;
  });

  it("reports per-operation deltas over the counted stretches only, INFO itself left out", async () => {
    const replies = [
      // start
      info({ evalsha: [100, 1000], info: [1, 10], cpu: 1, netIn: 0 }),
      // pause: 200 decisions, 12 µs each, of which 1.5 µs in GET
      info({ evalsha: [300, 3400], get: [200, 300], info: [2, 20], cpu: 1.002, netIn: 40_000 }),
      // resume, after untimed work: 1,000 calls that must not count
      info({ evalsha: [1300, 50_000], get: [1200, 9000], info: [3, 30], cpu: 9, netIn: 900_000 }),
      // stop: 200 more decisions
      info({ evalsha: [1500, 52_400], get: [1400, 9300], info: [4, 40], cpu: 9.002, netIn: 940_000 }),
    ];
    const profiler = new CellProfiler({ info: async () => replies.shift() as string });
    await profiler.start();
    await profiler.pause();
    await profiler.resume();
    const p = await profiler.stop(400);
    expect(replies).to.have.length(0);
    expect(p.ops).to.equal(400);
    expect(p.commands.map((c) => c.command)).to.deep.equal(["evalsha", "get"]);
    const [evalsha, get] = p.commands;
    expect(evalsha?.callsPerOp).to.equal(1);
    expect(evalsha?.usecPerCall).to.equal(12);
    expect(evalsha?.usecPerOp).to.equal(12);
    expect(get?.usecPerCall).to.equal(1.5);
    expect(p.redisCpuUsecPerOp).to.be.closeTo(10, 1e-6);
    expect(p.bytesInPerOp).to.equal(200);
    expect(p.bytesOutPerOp).to.equal(100);
    const lines = formatProfile("cell", p);
    expect(lines[0]).to.match(/^ {2}cell: 400 ops; per op: redis CPU 10\.0 µs/);
    expect(lines[1]).to.match(/evalsha +1\.00 calls\/op × +12\.00 µs\/call = +12\.00 µs\/op/);
  });

  it("starts every cell from zero", async () => {
    const a = info({ evalsha: [0, 0], info: [0, 0], cpu: 0, netIn: 0 });
    const b = info({ evalsha: [10, 100], info: [0, 0], cpu: 0.001, netIn: 1000 });
    const replies = [a, b, b, info({ evalsha: [30, 500], info: [0, 0], cpu: 0.002, netIn: 3000 })];
    const profiler = new CellProfiler({ info: async () => replies.shift() as string });
    await profiler.start();
    expect((await profiler.stop(10)).commands[0]?.usecPerCall).to.equal(10);
    await profiler.start();
    const second = await profiler.stop(20);
    expect(second.commands[0]?.usecPerCall).to.equal(20);
    expect(second.bytesInPerOp).to.equal(100);
  });
});
