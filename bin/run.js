#!/usr/bin/env node
'use strict';
// Entry point of the `kiln` binary: a V8 code cache for kiln and its dependencies
// (src/loader/code-cache.ts), then the fast path of the hot commands or oclif, which loads only
// the command asked for (through oclif.manifest.json).
require('../dist/loader/code-cache').installCodeCache();
require('../dist/main').main(process.argv.slice(2));
