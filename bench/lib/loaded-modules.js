'use strict';
/**
 * Preloaded with `node --require` (NODE_OPTIONS): at exit, writes the paths of every CommonJS
 * module the process loaded to $KILN_LOADED_MODULES_FILE, one per line. bench/startup.js and
 * test/graph/graph.test.ts use it to show that the commands that do not draw load none of the
 * drawing code (src/graph, src/report, @viz-js/viz).
 */
const fs = require('node:fs');

const out = process.env.KILN_LOADED_MODULES_FILE;
if (out) process.on('exit', () => fs.writeFileSync(out, `${Object.keys(require.cache).join('\n')}\n`));
