// Preloaded (`node -r`) into the policy pack's process only (tools/engine/pack-process.ts), after
// lazy-closure-deps.js. @pulumi/pulumi's pack launcher (cmd/run-policy-pack/run.js, through
// tsutils.typeScriptRequireStrings) loads the TypeScript compiler and registers ts-node with type
// checking on every start, for a pack that might be TypeScript. The engine starts the pack as
// JavaScript (an esbuild bundle, or a compiled pack), so that is ~0.5-1 s of the pack's start spent
// on a compiler nothing uses. Here the launcher's `typescript` and `ts-node` are proxies that answer
// `version` / `VERSION` from their package.json (all the launcher reads before registering), and
// the registration is deferred: the first `.ts`/`.tsx` file required makes the real ts-node
// registration with the launcher's options and compiles it, so a pack that does load TypeScript at
// run time behaves as before; one that does not never loads the compiler.
const Module = require("node:module");
const path = require("node:path");
const { lazyProxy } = require("./lazy-closure-deps.js");

const pulumiDir = `${path.sep}@pulumi${path.sep}pulumi${path.sep}`;
const load = Module._load;
const VERSION_KEY = { typescript: "version", "ts-node": "VERSION" };

function lazyWithVersion(request, parent, isMain) {
  const version = require(Module.createRequire(parent.filename).resolve(`${request}/package.json`)).version;
  let real;
  const get = () => {
    real ??= load.call(Module, request, parent, isMain);
    return real;
  };
  const deferredRegister = (options) => {
    const exts = [".ts", ".tsx"];
    const previous = Object.fromEntries(exts.map((e) => [e, require.extensions[e]]));
    const compileFirst = (ext) => (module, filename) => {
      for (const e of exts) require.extensions[e] = previous[e];
      get().register(options);
      require.extensions[ext](module, filename);
    };
    for (const e of exts) require.extensions[e] = compileFirst(e);
  };
  return lazyProxy(get, (key) => {
    if (real !== undefined) return undefined;
    if (key === VERSION_KEY[request]) return { value: version };
    if (key === "__esModule") return { value: true };
    if (request === "ts-node" && key === "register") return { value: deferredRegister };
    return undefined;
  });
}

const previousLoad = Module._load;
Module._load = function (request, parent, isMain, ...rest) {
  if ((request === "typescript" || request === "ts-node") && parent?.filename?.includes(pulumiDir)) {
    try {
      return lazyWithVersion(request, parent, isMain);
    } catch {
      // Not resolvable from here: the launcher's own fallback (its vendored copies) takes over.
    }
  }
  return previousLoad.call(this, request, parent, isMain, ...rest);
};
