#!/usr/bin/env node
'use strict';
// Entry point of the `kiln` binary: hand over to oclif, which loads only the command asked for
// (through oclif.manifest.json).
require('../dist/main').main(process.argv.slice(2));
