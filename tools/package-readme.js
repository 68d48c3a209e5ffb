#!/usr/bin/env node
// npm always ships the package root's README.md, and this repository's README.md is the manual of
// the repository (set-up, CI, benchmarks). The package's README is PACKAGE-README.md, written for
// the projects that install it. `npm pack` / `npm publish` swap them for the packing only:
//   prepack:  node tools/package-readme.js pack     README.md -> .repository-readme.md, PACKAGE-README.md -> README.md
//   postpack: node tools/package-readme.js restore  the repository's README.md back
// A pack that failed between the two leaves .repository-readme.md behind: the next run of either
// step restores it first, so the repository's README is never lost.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const readme = path.join(root, "README.md");
const saved = path.join(root, ".repository-readme.md");
const packageReadme = path.join(root, "PACKAGE-README.md");

function restore() {
  if (fs.existsSync(saved)) fs.renameSync(saved, readme);
}

const step = process.argv[2];
if (step === "pack") {
  restore();
  fs.renameSync(readme, saved);
  fs.copyFileSync(packageReadme, readme);
} else if (step === "restore") {
  restore();
} else {
  process.stderr.write(`usage: node tools/package-readme.js pack|restore (got ${JSON.stringify(step)})\n`);
  process.exit(2);
}
