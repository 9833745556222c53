#!/usr/bin/env node
'use strict';
// Writes oclif.manifest.json (what `oclif manifest` does) with @oclif/core's own Plugin
// loader, so the CLI can start without requiring every command file. The `oclif` package
// itself needs Node 22; this keeps the build on Node 20 with one dependency fewer.
const fs = require('node:fs');
const path = require('node:path');
const { Plugin } = require('@oclif/core/config');

async function main() {
  const root = path.resolve(__dirname, '..');
  const file = path.join(root, 'oclif.manifest.json');
  fs.rmSync(file, { force: true });
  const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true });
  await plugin.load();
  fs.writeFileSync(file, JSON.stringify(plugin.manifest, null, 2));
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)} (${Object.keys(plugin.manifest.commands).length} commands)\n`);
}

main().catch((e) => {
  process.stderr.write(`manifest: ${e.stack || e}\n`);
  process.exit(1);
});
