// Certificates for the real-Redis tests, made with openssl at test time so nothing secret or
// expiring is committed. EC P-256 keys keep generation well under a second.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { makeCa as makeCaIn, makeLeaf as makeLeafIn } from "../tls/openssl";

export interface TlsMaterial {
  dir: string;
  /** CA that signed both the server and the client certificate. */
  caFile: string;
  /** Server certificate; SAN = {@link SERVER_CERT_NAMES}. */
  certFile: string;
  keyFile: string;
  /** Client certificate (extendedKeyUsage clientAuth) for mutual TLS. */
  clientCertFile: string;
  clientKeyFile: string;
  /** A CA that did NOT sign the server certificate: trusting only this one must fail. */
  otherCaFile: string;
}

/** The DNS names the server certificate is valid for (plus IP 127.0.0.1). */
export const SERVER_CERT_NAMES = ["localhost", "primary.test-redis.internal"] as const;
/** A name that is deliberately absent from the certificate, like a Route53 CNAME in front of ElastiCache. */
export const NAME_NOT_IN_CERT = "redis.huntaze.internal";

let cached: TlsMaterial | undefined;

function makeCa(dir: string, base: string, cn: string): void {
  makeCaIn(dir, { certFile: `${base}.pem`, keyFile: `${base}-key.pem` }, `/O=Huntaze tests/CN=${cn}`, 7);
}

function makeLeaf(dir: string, base: string, cn: string, usages: ("serverAuth" | "clientAuth")[], altNames?: string[]) {
  makeLeafIn(dir, {
    certFile: `${base}.pem`,
    keyFile: `${base}-key.pem`,
    ca: { certFile: "ca.pem", keyFile: "ca-key.pem" },
    subject: `/O=Huntaze tests/CN=${cn}`,
    days: 7,
    usages,
    ...(altNames ? { altNames } : {}),
  });
}

/**
 * Creates a CA, a server certificate (SAN localhost, 127.0.0.1, primary.test-redis.internal), a
 * client certificate and an unrelated CA. Without `dir`, the material is made once per process
 * under os.tmpdir() and reused: every test server can share it.
 */
export function makeTlsMaterial(dir?: string): TlsMaterial {
  if (dir === undefined && cached !== undefined) return cached;
  const target = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "huntaze-redis-tls-"));
  fs.mkdirSync(target, { recursive: true });

  makeCa(target, "ca", "Huntaze test Redis CA");
  makeCa(target, "other-ca", "Unrelated CA");
  const san = [...SERVER_CERT_NAMES.map((n) => `DNS:${n}`), "IP:127.0.0.1"];
  makeLeaf(target, "server", "primary.test-redis.internal", ["serverAuth", "clientAuth"], san);
  makeLeaf(target, "client", "huntaze-test-client", ["clientAuth"]);

  const material: TlsMaterial = {
    dir: target,
    caFile: path.join(target, "ca.pem"),
    certFile: path.join(target, "server.pem"),
    keyFile: path.join(target, "server-key.pem"),
    clientCertFile: path.join(target, "client.pem"),
    clientKeyFile: path.join(target, "client-key.pem"),
    otherCaFile: path.join(target, "other-ca.pem"),
  };
  if (dir === undefined) {
    cached = material;
    process.on("exit", () => fs.rmSync(target, { recursive: true, force: true }));
  }
  return material;
}
