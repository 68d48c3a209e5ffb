// `node -r ./tools/register.js tools/preview.ts`: loads the repository's TypeScript for the
// command-line tools without ts-node. Profiling the offline preview (`node --cpu-prof`) showed
// ts-node costing ~1.2 s of a ~3 s run: ~0.7 s loading and running the TypeScript compiler and
// ~0.5 s in source-map-support, which maps every stack trace @pulumi/pulumi captures per resource.
// Here each .ts file is transpiled by esbuild (type-only syntax removed, CommonJS out, as
// `tsc --module commonjs --esModuleInterop` would) and the result is cached under .build/ts-cache
// by content hash, so a warm run transpiles nothing. No type check: `npm run typecheck` does that.
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const cacheDir = path.join(root, ".build", "ts-cache");
// The transform's options are part of the cache key: change one and every entry is rebuilt.
const options = { loader: "ts", format: "cjs", target: "node20", sourcefile: "" };
const optionsKey = JSON.stringify({
  ...options,
  sourcefile: undefined,
  esbuild: require("esbuild/package.json").version,
});

let esbuild;
let pruned = false;
/** Every edit leaves a stale entry: past 2,000 entries, the older half goes (checked once per process, on a miss). */
function pruneCache() {
  if (pruned) return;
  pruned = true;
  const entries = fs.readdirSync(cacheDir);
  if (entries.length <= 2000) return;
  const aged = entries
    .map((f) => ({ f, t: fs.statSync(path.join(cacheDir, f)).mtimeMs }))
    .sort((a, b) => a.t - b.t || a.f.localeCompare(b.f));
  for (const { f } of aged.slice(0, Math.floor(aged.length / 2))) fs.rmSync(path.join(cacheDir, f), { force: true });
}
function transpile(source, filename) {
  const key = crypto.createHash("sha256").update(optionsKey).update(filename).update(source).digest("hex");
  const cached = path.join(cacheDir, `${key.slice(0, 32)}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // not cached yet
  }
  esbuild ??= require("esbuild");
  const { code } = esbuild.transformSync(source, { ...options, sourcefile: filename });
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = `${cached}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, cached);
  pruneCache();
  return code;
}

// The preview also defers @pulumi/pulumi's closure-serialization dependencies (see that file).
require("./engine/lazy-closure-deps.js");

require.extensions[".ts"] = (module, filename) => {
  if (filename.includes(`${path.sep}node_modules${path.sep}`)) throw new Error(`will not transpile ${filename}`);
  module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
};
