// Certificates made with the openssl command line (Debian's openssl, installed by bootstrap
// --services), shared by `npm run redis:dev` and the real-Redis tests. EC P-256 keys keep
// generation well under a second; private keys are written mode 0600.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim()}`, { cause: error });
  }
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** A self-signed CA: `certFile` and `keyFile` are file names inside `dir`. */
export function makeCa(dir: string, files: { certFile: string; keyFile: string }, subject: string, days: number): void {
  openssl(
    [
      "req",
      "-x509",
      ...EC,
      "-keyout",
      files.keyFile,
      "-out",
      files.certFile,
      "-days",
      String(days),
      "-subj",
      subject,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
  fs.chmodSync(path.join(dir, files.keyFile), 0o600);
}

export interface LeafOptions {
  readonly certFile: string;
  readonly keyFile: string;
  readonly ca: { readonly certFile: string; readonly keyFile: string };
  readonly subject: string;
  readonly days: number;
  /** `serverAuth`, `clientAuth` or both. */
  readonly usages: readonly ("serverAuth" | "clientAuth")[];
  /** subjectAltName entries, e.g. `DNS:localhost`, `IP:127.0.0.1`. @default - none */
  readonly altNames?: readonly string[];
}

/** A certificate signed by the CA in `dir`; the CSR and extension file are removed afterwards. */
export function makeLeaf(dir: string, o: LeafOptions): void {
  const base = o.certFile.replace(/\.pem$/, "");
  openssl(["req", "-new", ...EC, "-keyout", o.keyFile, "-out", `${base}.csr`, "-subj", o.subject], dir);
  const ext = [
    "basicConstraints=CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    `extendedKeyUsage=${o.usages.join(",")}`,
    ...(o.altNames?.length ? [`subjectAltName=${o.altNames.join(",")}`] : []),
  ].join("\n");
  fs.writeFileSync(path.join(dir, `${base}.ext`), `${ext}\n`);
  openssl(
    [
      "x509",
      "-req",
      "-in",
      `${base}.csr`,
      "-CA",
      o.ca.certFile,
      "-CAkey",
      o.ca.keyFile,
      "-CAcreateserial",
      "-out",
      o.certFile,
      "-days",
      String(o.days),
      "-extfile",
      `${base}.ext`,
    ],
    dir,
  );
  fs.chmodSync(path.join(dir, o.keyFile), 0o600);
  for (const f of [`${base}.csr`, `${base}.ext`]) fs.rmSync(path.join(dir, f), { force: true });
}
