// Where a benchmark cell spends its time, on both sides of the wire: the Redis server's per-command
// statistics (INFO commandstats: commands called from scripts count as well as EVALSHA itself), its
// process CPU and network bytes (INFO cpu / stats), and the Node process's CPU, GC pauses and
// event-loop delay. A cell is profiled between start() and stop(); pause()/resume() leave out work
// done with the benchmark's clock stopped, so the profile covers what the timed figures cover.
// Used by `npm run bench:rate-limiter -- --profile`.

import { type ELDHistogram, monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";

/** The client's one method used here (ioredis `info`). */
export interface InfoClient {
  info(section: string): Promise<string>;
}

interface ServerSample {
  readonly commands: ReadonlyMap<string, { calls: number; usec: number }>;
  readonly cpuSec: number;
  readonly netIn: number;
  readonly netOut: number;
}

interface NodeSample {
  readonly cpu: NodeJS.CpuUsage;
  readonly gcCount: number;
  readonly gcMs: number;
}

export interface CommandProfile {
  readonly command: string;
  readonly callsPerOp: number;
  readonly usecPerCall: number;
  /** Server time in this command per benchmark operation (callsPerOp × usecPerCall). */
  readonly usecPerOp: number;
}

export interface CellProfile {
  readonly ops: number;
  /** Redis server process CPU (user + sys) per operation, µs. */
  readonly redisCpuUsecPerOp: number;
  /** Node process CPU (user + sys) per operation, µs. */
  readonly nodeCpuUsecPerOp: number;
  readonly bytesInPerOp: number;
  readonly bytesOutPerOp: number;
  /** Commands by server time per operation, largest first (INFO itself left out). */
  readonly commands: readonly CommandProfile[];
  readonly gcCount: number;
  readonly gcMs: number;
  readonly gcMaxMs: number;
  /** The p99 of the worst counted stretch (a cell with rounds has several). */
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
}

/** Parses INFO's "cmdstat_<name>:calls=..,usec=..,..." lines. */
export function parseCommandStats(info: string): Map<string, { calls: number; usec: number }> {
  const out = new Map<string, { calls: number; usec: number }>();
  for (const line of info.split(/\r?\n/)) {
    const m = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+),/.exec(line);
    if (m) out.set(m[1] as string, { calls: Number(m[2]), usec: Number(m[3]) });
  }
  return out;
}

/** One numeric field of an INFO reply, or NaN. */
export function infoField(info: string, name: string): number {
  const m = new RegExp(`^${name}:([-\\d.]+)`, "m").exec(info);
  return m ? Number(m[1]) : Number.NaN;
}

let gcCount = 0;
let gcMs = 0;
let gcMaxMs = 0;
let gcObserver: PerformanceObserver | undefined;

function watchGc(): void {
  if (gcObserver !== undefined) return;
  gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcCount++;
      gcMs += e.duration;
      if (e.duration > gcMaxMs) gcMaxMs = e.duration;
    }
  });
  gcObserver.observe({ entryTypes: ["gc"] });
}

export class CellProfiler {
  private readonly client: InfoClient;
  private readonly commands = new Map<string, { calls: number; usec: number }>();
  private cpuSec = 0;
  private netIn = 0;
  private netOut = 0;
  private nodeUser = 0;
  private nodeSystem = 0;
  private gcCountSum = 0;
  private gcMsSum = 0;
  private server: ServerSample | undefined;
  private node: NodeSample | undefined;
  private delay: ELDHistogram | undefined;
  private delayP99Ns = 0;
  private delayMaxNs = 0;

  constructor(client: InfoClient) {
    this.client = client;
    watchGc();
  }

  private async sampleServer(): Promise<ServerSample> {
    const info = await this.client.info("all");
    return {
      commands: parseCommandStats(info),
      cpuSec: infoField(info, "used_cpu_user") + infoField(info, "used_cpu_sys"),
      netIn: infoField(info, "total_net_input_bytes"),
      netOut: infoField(info, "total_net_output_bytes"),
    };
  }

  async start(): Promise<void> {
    this.commands.clear();
    this.cpuSec = 0;
    this.netIn = 0;
    this.netOut = 0;
    this.nodeUser = 0;
    this.nodeSystem = 0;
    this.gcCountSum = 0;
    this.gcMsSum = 0;
    this.delayP99Ns = 0;
    this.delayMaxNs = 0;
    gcMaxMs = 0;
    await this.resume();
  }

  /** Stops counting (work with the benchmark's clock stopped follows). */
  async pause(): Promise<void> {
    const node: NodeSample = { cpu: process.cpuUsage(), gcCount, gcMs };
    // One histogram per counted stretch (a histogram re-enabled after a pause counts the pause).
    const delay = this.delay as ELDHistogram;
    delay.disable();
    if (delay.count > 0) {
      this.delayP99Ns = Math.max(this.delayP99Ns, delay.percentile(99));
      this.delayMaxNs = Math.max(this.delayMaxNs, delay.max);
    }
    const before = this.node as NodeSample;
    this.nodeUser += node.cpu.user - before.cpu.user;
    this.nodeSystem += node.cpu.system - before.cpu.system;
    this.gcCountSum += node.gcCount - before.gcCount;
    this.gcMsSum += node.gcMs - before.gcMs;
    const server = await this.sampleServer();
    const prev = this.server as ServerSample;
    for (const [name, s] of server.commands) {
      if (name === "info") continue;
      const p = prev.commands.get(name) ?? { calls: 0, usec: 0 };
      const acc = this.commands.get(name) ?? { calls: 0, usec: 0 };
      acc.calls += s.calls - p.calls;
      acc.usec += s.usec - p.usec;
      this.commands.set(name, acc);
    }
    this.cpuSec += server.cpuSec - prev.cpuSec;
    this.netIn += server.netIn - prev.netIn;
    this.netOut += server.netOut - prev.netOut;
  }

  async resume(): Promise<void> {
    this.server = await this.sampleServer();
    this.node = { cpu: process.cpuUsage(), gcCount, gcMs };
    this.delay = monitorEventLoopDelay({ resolution: 1 });
    this.delay.enable();
  }

  async stop(ops: number): Promise<CellProfile> {
    await this.pause();
    const per = (x: number) => (ops > 0 ? x / ops : Number.NaN);
    const commands = [...this.commands]
      .filter(([, s]) => s.calls > 0)
      .map(([command, s]) => ({
        command,
        callsPerOp: per(s.calls),
        usecPerCall: s.usec / s.calls,
        usecPerOp: per(s.usec),
      }))
      .sort((a, b) => b.usecPerOp - a.usecPerOp);
    return {
      ops,
      redisCpuUsecPerOp: per(this.cpuSec * 1e6),
      nodeCpuUsecPerOp: per(this.nodeUser + this.nodeSystem),
      bytesInPerOp: per(this.netIn),
      bytesOutPerOp: per(this.netOut),
      commands,
      gcCount: this.gcCountSum,
      gcMs: this.gcMsSum,
      gcMaxMs,
      eventLoopDelayP99Ms: this.delayP99Ns / 1e6,
      eventLoopDelayMaxMs: this.delayMaxNs / 1e6,
    };
  }
}

/** Human-readable lines for one cell's profile. */
export function formatProfile(name: string, p: CellProfile): string[] {
  const f = (x: number, d = 1) => x.toFixed(d);
  const lines = [
    `  ${name}: ${p.ops} ops; per op: redis CPU ${f(p.redisCpuUsecPerOp)} µs, node CPU ${f(p.nodeCpuUsecPerOp)} µs, ` +
      `${f(p.bytesInPerOp, 0)} B to redis, ${f(p.bytesOutPerOp, 0)} B back; ` +
      `GC ${p.gcCount} pauses ${f(p.gcMs)} ms total (max ${f(p.gcMaxMs)} ms); ` +
      `event-loop delay p99 ${f(p.eventLoopDelayP99Ms, 2)} ms max ${f(p.eventLoopDelayMaxMs, 2)} ms`,
  ];
  for (const c of p.commands) {
    lines.push(
      `    ${c.command.padEnd(18)} ${f(c.callsPerOp, 2).padStart(6)} calls/op × ${f(c.usecPerCall, 2).padStart(7)} µs/call = ${f(c.usecPerOp, 2).padStart(7)} µs/op`,
    );
  }
  return lines;
}
