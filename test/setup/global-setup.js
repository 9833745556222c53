'use strict';
// Says loudly which database servers this run covers. SQLite always runs; PostgreSQL and
// MariaDB run when KILN_TEST_PG_URL / KILN_TEST_MYSQL_URL are set (scripts/test-servers.sh
// and .ci/run set them). In CI (CI=true) a missing server is an error, not a skip.
module.exports = async function globalSetup() {
  const missing = [];
  if (!process.env.KILN_TEST_PG_URL) missing.push('PostgreSQL (KILN_TEST_PG_URL)');
  if (!process.env.KILN_TEST_MYSQL_URL) missing.push('MariaDB/MySQL (KILN_TEST_MYSQL_URL)');
  if (missing.length === 0) {
    process.stdout.write('\n[kiln tests] dialects: sqlite, postgres, mysql\n');
    return;
  }
  if (process.env.CI === 'true') {
    throw new Error(`CI=true but no server for: ${missing.join(', ')}. Run the suite through .ci/run or scripts/test-servers.sh.`);
  }
  const bar = '!'.repeat(78);
  process.stdout.write(
    `\n${bar}\n!! SKIPPING the tests of: ${missing.join(', ')}\n!! Start servers with: bash scripts/test-servers.sh -- npm test\n${bar}\n`,
  );
};
