'use strict';
/**
 * The steady writer of bench/online.js, forked as a child process with its own connection:
 * every INTERVAL ms (when the previous write is done) it inserts a row into `item` or updates
 * the qty of a random one, alternately, and times each write. The parent sends 'start' and
 * 'stop' to mark the window it measures (the migration), then 'end'; the child answers with
 * the latencies of the writes that started inside the window and the failed ones.
 */
const knexLib = require('knex');

const [client, url, rowsArg, firstId] = process.argv.slice(2);
const ROWS = Number(rowsArg);
const INTERVAL = Number(process.env.ONLINE_WRITE_INTERVAL_MS ?? 10);
const knex = knexLib({ client, connection: url, pool: { min: 1, max: 1 } });

let inWindow = false;
let running = true;
let next = Number(firstId);
const latencies = [];
const failures = [];
let writes = 0;

async function loop() {
  let insert = true;
  while (running) {
    const started = Date.now();
    const counted = inWindow;
    try {
      if (insert) await knex('item').insert({ id: next++, author_code: `a${1 + (next % 1000)}`, title: `written ${next}`, qty: 1 });
      else await knex('item').where({ id: 1 + Math.floor(Math.random() * ROWS) }).update({ qty: Math.floor(Math.random() * 100) });
      if (counted) latencies.push(Date.now() - started);
    } catch (e) {
      if (counted) failures.push(String(e.message).slice(0, 200));
    }
    writes++;
    insert = !insert;
    const wait = INTERVAL - (Date.now() - started);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

const done = loop();
process.on('message', async (m) => {
  if (m === 'start') inWindow = true;
  else if (m === 'stop') inWindow = false;
  else if (m === 'end') {
    running = false;
    await done;
    await knex.destroy();
    process.send({ latencies, failures, writes }, () => process.exit(0));
  }
});
process.send('ready');
