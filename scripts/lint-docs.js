#!/usr/bin/env node
// Writes docs/lint.md from the rules in src/lint/rules.ts (run `npm run build` first).
// test/unit/lint-docs.test.ts fails when the page is out of date.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { lintDocs } = require('../dist/lint/docs.js');
fs.writeFileSync(path.join(__dirname, '..', 'docs', 'lint.md'), lintDocs());
