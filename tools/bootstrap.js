#!/usr/bin/env node
// First-use set-up shared by `npm test` and `npm run preview`: a fresh clone has only Node and npm,
// so this installs the locked dependencies (and, with --services, Debian's redis-server) when they
// are missing or stale, and builds the Lambda bundles (bundles/, see lambdas/bundle.ts) when the
// runtime sources changed since the last build. Plain JavaScript with no dependencies, because it
// runs before any exist. Required as a module (the mocha set-up), it only exports its steps.

const { execFileSync, spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const marker = path.join(root, "node_modules", ".huntaze-lockfile-sha256");

function log(message) {
  process.stderr.write(`[bootstrap] ${message}\n`);
}

function lockfileHash() {
  return crypto
    .createHash("sha256")
    .update(fs.readFileSync(path.join(root, "package-lock.json")))
    .digest("hex");
}

function ensureNodeModules() {
  const wanted = lockfileHash();
  const installed = fs.existsSync(marker) ? fs.readFileSync(marker, "utf8").trim() : "";
  if (installed === wanted) return;
  log("installing the locked npm dependencies (npm ci)...");
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0) {
    log("npm ci failed; see the output above");
    process.exit(result.status ?? 1);
  }
  fs.writeFileSync(marker, `${wanted}\n`);
}

function hasCommand(name) {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

function ensureDebianPackages(packages) {
  const missing = packages.filter((p) => !hasCommand(p.command));
  if (missing.length === 0) return;
  const names = missing.map((p) => p.debian);
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const prefix = asRoot ? [] : hasCommand("sudo") ? ["sudo", "-n"] : null;
  if (prefix === null) {
    log(`missing ${names.join(", ")} and not root: install them with apt-get and run again`);
    process.exit(2);
  }
  log(`installing Debian packages: ${names.join(", ")} (apt-get)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const run = (args) =>
    execFileSync(prefix[0] ?? args[0], prefix.length ? [...prefix.slice(1), ...args] : args.slice(1), {
      stdio: ["ignore", "ignore", "inherit"],
      env,
    });
  run(["apt-get", "update", "-q"]);
  run(["apt-get", "install", "-y", "-q", "--no-install-recommends", ...names]);
  for (const p of missing) {
    if (!hasCommand(p.command)) {
      log(`${p.debian} installed but ${p.command} is still not on PATH`);
      process.exit(2);
    }
  }
}

/** sha256 over what a bundle is made of: the runtime sources, the bundler and the locked dependencies. */
function lambdaInputsHash() {
  const hash = crypto.createHash("sha256");
  const dir = path.join(root, "lambdas");
  const files = fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") || f.endsWith(".lua"))
    .sort();
  for (const f of files) hash.update(`lambdas/${f}\0`).update(fs.readFileSync(path.join(dir, f)));
  hash.update(fs.readFileSync(path.join(root, "package-lock.json")));
  return hash.digest("hex");
}

/** Rebuilds bundles/ (npm run build:lambdas) when its inputs changed; a no-op costing one hash otherwise. */
function ensureLambdaBundles() {
  const stamp = path.join(root, "bundles", ".inputs-sha256");
  const wanted = lambdaInputsHash();
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8").trim() === wanted) return;
  log("building the Lambda bundles (npm run build:lambdas)...");
  const result = spawnSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(root, "tools", "build.ts"), "--lambdas"],
    { cwd: root, stdio: ["ignore", "inherit", "inherit"] },
  );
  if (result.status !== 0) {
    log("building the Lambda bundles failed; see the output above");
    process.exit(result.status ?? 1);
  }
  fs.writeFileSync(stamp, `${wanted}\n`);
}

module.exports = { ensureNodeModules, ensureLambdaBundles };

if (require.main === module) {
  ensureNodeModules();
  ensureLambdaBundles();
  if (process.argv.includes("--services")) {
    ensureDebianPackages([
      { command: "redis-server", debian: "redis-server" },
      { command: "redis-cli", debian: "redis-tools" },
      { command: "openssl", debian: "openssl" },
    ]);
  }
}
