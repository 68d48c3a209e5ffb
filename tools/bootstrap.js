#!/usr/bin/env node
// First-use set-up shared by every npm script: a fresh clone has only the system's Node (20) and npm,
// so this installs, when missing or stale,
//   1. the project's Node (tools/node-runtime: an official Node 24 build from the npm registry, pinned
//      and integrity-checked by its own lockfile);
//   2. the locked npm dependencies (npm ci, run on that Node);
//   3. a link to that Node as node_modules/.bin/node, which npm scripts put first on PATH: every
//      command after this script runs on it (scripts call it as `env node`, because sh remembers
//      where it found `node` for this script);
//   4. with --services, Debian's redis-server, redis-cli and openssl, and moto in server mode (the AWS
//      API emulator, pinned in tools/moto/requirements.txt) in a local virtual environment, .venv-moto/;
//   5. the Lambda bundles (bundles/, see lambdas/bundle.ts) when the runtime sources changed.
// HUNTAZE_SYSTEM_NODE=1 skips steps 1 and 3 (no download) and uses the `node` already on PATH, which must
// satisfy package.json's engines. Plain JavaScript with no dependencies, written for the system's
// Node 20, because it runs before anything is installed. Required as a module (the mocha set-up), it
// only exports the bundle step.

const { execFileSync, spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const runtimeDir = path.join(root, "tools", "node-runtime");
const nodeLink = path.join(root, "node_modules", ".bin", "node");
const SYSTEM_NODE_ENV = "HUNTAZE_SYSTEM_NODE";

function log(message) {
  process.stderr.write(`[bootstrap] ${message}\n`);
}

function fail(message, code = 2) {
  log(message);
  process.exit(code);
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

function lockfileHash(dir) {
  return crypto
    .createHash("sha256")
    .update(fs.readFileSync(path.join(dir, "package-lock.json")))
    .digest("hex");
}

/**
 * `npm ci` in `dir` unless its node_modules was installed from this exact lockfile. With `nodeDir`,
 * npm and the packages' install scripts run on the Node found there (npm is an `env node` script).
 */
function ensureInstalled(dir, what, nodeDir) {
  const marker = path.join(dir, "node_modules", ".huntaze-lockfile-sha256");
  const wanted = lockfileHash(dir);
  const installed = fs.existsSync(marker) ? fs.readFileSync(marker, "utf8").trim() : "";
  if (installed === wanted) return;
  log(`installing ${what} (npm ci)...`);
  const env = nodeDir ? { ...process.env, PATH: `${nodeDir}${path.delimiter}${process.env.PATH ?? ""}` } : process.env;
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], {
    cwd: dir,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0) fail("npm ci failed; see the output above", result.status ?? 1);
  fs.writeFileSync(marker, `${wanted}\n`);
}

/** The lowest Node major package.json's engines accepts (">=24" -> 24). */
function minimumNodeMajor() {
  const range = readJson(path.join(root, "package.json")).engines?.node ?? "";
  const match = /^>=\s*(\d+)/.exec(range);
  if (!match) fail(`package.json engines.node must read ">=N", got ${JSON.stringify(range)}`);
  return Number(match[1]);
}

function versionOf(nodeBinary) {
  const result = spawnSync(nodeBinary, ["-v"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function removeLink() {
  if (fs.lstatSync(nodeLink, { throwIfNoEntry: false })) fs.rmSync(nodeLink);
}

/** The user's own Node 24+: no download; whatever `node` is on PATH once our link is gone must do. */
function useSystemNode(minimum) {
  removeLink();
  const version = versionOf("node");
  const major = Number(/^v(\d+)/.exec(version ?? "")?.[1]);
  if (!(major >= minimum))
    fail(
      `${SYSTEM_NODE_ENV} is set but the node on PATH is ${version ?? "missing"}; this project runs on Node ${minimum} or newer (unset ${SYSTEM_NODE_ENV} to let it install its own)`,
    );
}

const runtimeVersion = () => readJson(path.join(runtimeDir, "package.json")).version;

/** Installs the pinned Node build for this platform; returns the directory of its `node`. */
function installProjectNode(minimum) {
  ensureInstalled(runtimeDir, `Node ${runtimeVersion()} for the project (tools/node-runtime)`);
  const binDir = path.join(runtimeDir, "node_modules", `node-${process.platform}-${process.arch}`, "bin");
  if (!fs.existsSync(path.join(binDir, "node")))
    fail(
      `no Node build for ${process.platform}-${process.arch} in tools/node-runtime (it carries linux x64 and arm64): install Node ${minimum} or newer and set ${SYSTEM_NODE_ENV}=1`,
    );
  return binDir;
}

/** Links the project's Node as node_modules/.bin/node (again after every npm ci, which removes it). */
function linkProjectNode(binDir) {
  const target = path.relative(path.dirname(nodeLink), path.join(binDir, "node"));
  const linked = fs.lstatSync(nodeLink, { throwIfNoEntry: false }) ? fs.readlinkSync(nodeLink) : undefined;
  if (linked !== target) {
    removeLink();
    fs.mkdirSync(path.dirname(nodeLink), { recursive: true });
    fs.symlinkSync(target, nodeLink);
  }
  const version = versionOf(nodeLink);
  if (version !== `v${runtimeVersion()}`)
    fail(`node_modules/.bin/node reports ${version ?? "nothing"}, expected v${runtimeVersion()}`);
}

function hasCommand(name) {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

function ensureDebianPackages(packages) {
  const missing = packages.filter((p) => p.always || !hasCommand(p.command));
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
    if (!p.always && !hasCommand(p.command)) {
      log(`${p.debian} installed but ${p.command} is still not on PATH`);
      process.exit(2);
    }
  }
}

const motoVenv = path.join(root, ".venv-moto");
const motoRequirements = path.join(root, "tools", "moto", "requirements.txt");

/**
 * moto in server mode in .venv-moto/, installed from tools/moto/requirements.txt (every package
 * pinned) whenever that file changes. Python 3's venv module comes with Debian's python3-venv.
 */
function ensureMoto() {
  if (!fs.existsSync(motoRequirements)) return;
  const marker = path.join(motoVenv, ".huntaze-requirements-sha256");
  const wanted = crypto.createHash("sha256").update(fs.readFileSync(motoRequirements)).digest("hex");
  if (fs.existsSync(marker) && fs.readFileSync(marker, "utf8").trim() === wanted) return;
  log("installing moto (the AWS API emulator) into .venv-moto (python3 -m venv, pip install)...");
  fs.rmSync(motoVenv, { recursive: true, force: true });
  let venv = spawnSync("python3", ["-m", "venv", motoVenv], { stdio: ["ignore", "ignore", "pipe"] });
  if (venv.status !== 0) {
    ensureDebianPackages([{ command: "false", debian: "python3-venv", always: true }]);
    fs.rmSync(motoVenv, { recursive: true, force: true });
    venv = spawnSync("python3", ["-m", "venv", motoVenv], { stdio: ["ignore", "inherit", "inherit"] });
    if (venv.status !== 0) fail("python3 -m venv failed; see the output above", venv.status ?? 1);
  }
  const pip = spawnSync(
    path.join(motoVenv, "bin", "pip"),
    ["install", "--quiet", "--disable-pip-version-check", "--no-deps", "-r", motoRequirements],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  if (pip.status !== 0) fail("installing moto failed; see the output above", pip.status ?? 1);
  fs.writeFileSync(marker, `${wanted}\n`);
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
  // A tree without runtime sources (the bootstrap's own tests copy just this file) has nothing to bundle.
  if (!fs.existsSync(path.join(root, "lambdas"))) return;
  const stamp = path.join(root, "bundles", ".inputs-sha256");
  const wanted = lambdaInputsHash();
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8").trim() === wanted) return;
  log("building the Lambda bundles (npm run build:lambdas)...");
  const result = spawnSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(root, "tools", "build.ts"), "--lambdas"],
    { cwd: root, stdio: ["ignore", "inherit", "inherit"] },
  );
  if (result.status !== 0) fail("building the Lambda bundles failed; see the output above", result.status ?? 1);
  fs.writeFileSync(stamp, `${wanted}\n`);
}

module.exports = { ensureLambdaBundles };

if (require.main === module) {
  const minimum = minimumNodeMajor();
  const systemNode = process.env[SYSTEM_NODE_ENV] === "1";
  const projectNodeDir = systemNode ? undefined : installProjectNode(minimum);
  ensureInstalled(root, "the locked npm dependencies", projectNodeDir);
  // After the dependencies: npm ci empties node_modules, link included.
  if (projectNodeDir) linkProjectNode(projectNodeDir);
  else useSystemNode(minimum);
  if (process.argv.includes("--services")) {
    ensureDebianPackages([
      { command: "redis-server", debian: "redis-server" },
      { command: "redis-cli", debian: "redis-tools" },
      { command: "openssl", debian: "openssl" },
    ]);
    ensureMoto();
  }
  ensureLambdaBundles();
}
