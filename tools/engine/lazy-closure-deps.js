// Preloaded (`node -r`) by the offline preview and into the policy pack's process it starts.
// @pulumi/pulumi requires two heavy modules at load time only for closure serialization
// (`pulumi.runtime.serializeFunction`, which neither this project's programs nor its pack use):
// the TypeScript compiler (runtime/closure/parseFunction) and @npmcli/arborist
// (runtime/closure/codePaths). A profile of the preview shows them as ~0.4-1 s of CPU per process.
// Each is replaced by a proxy that loads the real module on first use, so behaviour is unchanged
// for a program that does serialize a function; it only pays when it does.
const Module = require("node:module");
const path = require("node:path");

const LAZY = new Set(["@npmcli/arborist", "../../typescript-shim"]);
const load = Module._load;

/**
 * A stand-in for a module that `get` loads on first use. `early(key)` may answer a property without
 * loading it ({ value }), else undefined. A function target, so `new mod.X()` and `mod()` reach the
 * real module through the traps. Shared with lazy-pack-typescript.js.
 */
function lazyProxy(get, early) {
  return new Proxy(function lazy() {}, {
    get: (_t, key) => {
      const answered = early(key);
      return answered ? answered.value : Reflect.get(get(), key);
    },
    has: (_t, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(get(), key);
      return d ? { ...d, configurable: true } : undefined;
    },
    apply: (_t, self, args) => Reflect.apply(get(), self, args),
    construct: (_t, args) => Reflect.construct(get(), args),
  });
}

function lazyModule(request, parent, isMain) {
  let real;
  const get = () => {
    real ??= load.call(Module, request, parent, isMain);
    return real;
  };
  return lazyProxy(get, (key) => (key === "__esModule" && real === undefined ? { value: true } : undefined));
}

const pulumiDir = `${path.sep}@pulumi${path.sep}pulumi${path.sep}`;

Module._load = function (request, parent, isMain, ...rest) {
  if (LAZY.has(request) && parent?.filename?.includes(pulumiDir)) return lazyModule(request, parent, isMain);
  return load.call(this, request, parent, isMain, ...rest);
};

module.exports = { lazyProxy };
