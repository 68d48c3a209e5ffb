// An in-process queue with the SQS semantics the rate limiter depends on: DelaySeconds, visibility
// timeout, ApproximateReceiveCount, redrive to a dead-letter queue after maxReceiveCount receives,
// message attributes, deletes by receipt handle. Deterministic: time comes from `now()`.

import { EventEmitter } from "node:events";

export interface QueueOptions {
  readonly name: string;
  /** @default 30000 */
  readonly visibilityTimeoutMs?: number;
  /** Redrive policy: moved to `deadLetterQueue` on the receive after this many. @default 5 */
  readonly maxReceiveCount?: number;
  readonly deadLetterQueue?: LocalQueue;
  readonly now?: () => number;
}

export interface SendOptions {
  /** 0..900, as in SQS. */
  readonly delaySeconds?: number;
  readonly attributes?: Record<string, string>;
}

interface Stored {
  readonly id: string;
  readonly body: string;
  readonly attributes: Record<string, string>;
  readonly seq: number;
  readonly sentAt: number;
  visibleAt: number;
  receiveCount: number;
  receipt?: string;
}

/** The record shape Lambda hands to an SQS-triggered function (the fields the handler reads). */
export interface ReceivedRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: { readonly ApproximateReceiveCount: string; readonly SentTimestamp: string };
  readonly messageAttributes: Record<string, { readonly stringValue: string; readonly dataType: "String" }>;
}

export class LocalQueue extends EventEmitter {
  readonly name: string;
  readonly visibilityTimeoutMs: number;
  readonly maxReceiveCount: number;
  readonly deadLetterQueue?: LocalQueue;
  private readonly now: () => number;
  private readonly messages = new Map<string, Stored>();
  private seq = 0;
  readonly stats = { sends: 0, receives: 0, deletes: 0, redriven: 0 };

  constructor(opts: QueueOptions) {
    super();
    this.name = opts.name;
    this.visibilityTimeoutMs = opts.visibilityTimeoutMs ?? 30_000;
    this.maxReceiveCount = opts.maxReceiveCount ?? 5;
    this.deadLetterQueue = opts.deadLetterQueue;
    this.now = opts.now ?? Date.now;
  }

  send(body: string, opts: SendOptions = {}): string {
    const delay = opts.delaySeconds ?? 0;
    if (!Number.isInteger(delay) || delay < 0 || delay > 900) {
      throw new Error(`DelaySeconds must be an integer from 0 to 900, got ${delay}`);
    }
    this.seq += 1;
    const id = `${this.name}-${this.seq}`;
    const now = this.now();
    this.messages.set(id, {
      id,
      body,
      attributes: { ...(opts.attributes ?? {}) },
      seq: this.seq,
      sentAt: now,
      visibleAt: now + delay * 1000,
      receiveCount: 0,
    });
    this.stats.sends += 1;
    this.emit("sent", id);
    return id;
  }

  /** Up to `max` visible messages, oldest first; each receive hides it for the visibility timeout. */
  receive(max = 10): ReceivedRecord[] {
    const now = this.now();
    const visible = [...this.messages.values()]
      .filter((m) => m.visibleAt <= now)
      .sort((a, b) => a.visibleAt - b.visibleAt || a.seq - b.seq);
    const out: ReceivedRecord[] = [];
    for (const m of visible) {
      if (out.length >= max) break;
      if (m.receiveCount >= this.maxReceiveCount && this.deadLetterQueue) {
        this.messages.delete(m.id);
        this.deadLetterQueue.send(m.body, { attributes: m.attributes });
        this.stats.redriven += 1;
        continue;
      }
      m.receiveCount += 1;
      m.visibleAt = now + this.visibilityTimeoutMs;
      m.receipt = `${m.id}#${m.receiveCount}`;
      this.stats.receives += 1;
      out.push({
        messageId: m.id,
        receiptHandle: m.receipt,
        body: m.body,
        attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt) },
        messageAttributes: Object.fromEntries(
          Object.entries(m.attributes).map(([k, v]) => [k, { stringValue: v, dataType: "String" as const }]),
        ),
      });
    }
    return out;
  }

  /** DeleteMessage: only the latest receipt handle of a message deletes it. */
  delete(receiptHandle: string): boolean {
    const id = receiptHandle.split("#")[0] ?? "";
    const m = this.messages.get(id);
    if (!m || m.receipt !== receiptHandle) return false;
    this.messages.delete(id);
    this.stats.deletes += 1;
    return true;
  }

  changeVisibility(receiptHandle: string, seconds: number): boolean {
    const id = receiptHandle.split("#")[0] ?? "";
    const m = this.messages.get(id);
    if (!m || m.receipt !== receiptHandle) return false;
    m.visibleAt = this.now() + seconds * 1000;
    return true;
  }

  /** Messages held (visible, delayed or in flight). */
  get size(): number {
    return this.messages.size;
  }

  bodies(): string[] {
    return [...this.messages.values()].sort((a, b) => a.seq - b.seq).map((m) => m.body);
  }

  attributesOf(): Record<string, string>[] {
    return [...this.messages.values()].sort((a, b) => a.seq - b.seq).map((m) => ({ ...m.attributes }));
  }

  /** When the next message becomes visible (undefined when empty). */
  nextVisibleAt(): number | undefined {
    let next: number | undefined;
    for (const m of this.messages.values()) if (next === undefined || m.visibleAt < next) next = m.visibleAt;
    return next;
  }
}
