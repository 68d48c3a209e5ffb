import * as net from "node:net";

// A rediss:// URL pointed at a server without TLS does not fail the TLS handshake: the server
// waits for a command line that never comes and the client times out, which looks like a network
// problem (security groups). Before a TLS connection, ask the port in plaintext: a Redis reply
// (+PONG, -NOAUTH, -ERR...) means it speaks plaintext, i.e. a TLS mismatch. A TLS server closes
// the connection or answers with a TLS alert; silence or an unreachable port proves nothing.

/** Whether host:port answers a plaintext PING with a Redis reply, within `timeoutMs`. */
export function speaksPlaintextRedis(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let settled = false;
    const done = (answer: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data: Buffer) => done(/^[+-][A-Za-z]/.test(data.toString("latin1", 0, 16))));
    socket.once("error", () => done(false));
    socket.once("close", () => done(false));
  });
}
