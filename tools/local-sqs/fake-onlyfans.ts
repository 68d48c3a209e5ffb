// A stand-in OnlyFans endpoint on 127.0.0.1 for tests, the local pipeline and the benchmarks: it
// records every POST (arrival time, parsed body) and answers with a programmable status.

import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedPost {
  readonly atMs: number;
  readonly messageId: string;
  readonly userId: string;
  readonly fanId: string;
  readonly message: string;
  readonly authorization?: string;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
}

export interface FakeOnlyFans {
  readonly url: string;
  readonly posts: ReceivedPost[];
  /** Decides the reply to each POST (default 200). `attempt` counts POSTs of this messageId, from 1. */
  respond: (post: ReceivedPost, attempt: number) => Reply;
  close(): Promise<void>;
}

export async function startFakeOnlyFans(): Promise<FakeOnlyFans> {
  const posts: ReceivedPost[] = [];
  const attempts = new Map<string, number>();
  const fake = {
    url: "",
    posts,
    respond: (() => ({ status: 200 })) as FakeOnlyFans["respond"],
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const atMs = Date.now();
      let post: ReceivedPost;
      try {
        const b = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, string>;
        post = {
          atMs,
          messageId: String(b["messageId"]),
          userId: String(b["userId"]),
          fanId: String(b["fanId"]),
          message: String(b["message"]),
          ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
        };
      } catch {
        res.writeHead(400).end();
        return;
      }
      posts.push(post);
      const n = (attempts.get(post.messageId) ?? 0) + 1;
      attempts.set(post.messageId, n);
      const reply = fake.respond(post, n);
      res.writeHead(reply.status, { "content-type": "application/json", ...(reply.headers ?? {}) });
      res.end(JSON.stringify({ ok: reply.status < 300 }));
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  fake.url = `http://127.0.0.1:${port}/v1/messages`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
