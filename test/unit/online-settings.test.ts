/**
 * kiln/online's settings from the environment (KILN_ONLINE_TRIES, KILN_ONLINE_LOCK_TIMEOUT) are
 * checked before a step runs: a value that is not a number would have retried a step forever
 * ('NaN' tries) or been spliced into SQL ('NaN' timeout).
 */
import knexFactory, { type Knex } from 'knex';
import { ddl, lockTimeoutSeconds, tries } from '../../src/public/online';

describe('kiln/online settings', () => {
  const saved = { tries: process.env.KILN_ONLINE_TRIES, timeout: process.env.KILN_ONLINE_LOCK_TIMEOUT };
  let knex: Knex;
  beforeAll(() => {
    knex = knexFactory({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  });
  afterEach(() => {
    for (const [key, value] of [['KILN_ONLINE_TRIES', saved.tries], ['KILN_ONLINE_LOCK_TIMEOUT', saved.timeout]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  afterAll(() => knex.destroy());

  test('defaults, and values as given', () => {
    delete process.env.KILN_ONLINE_TRIES;
    delete process.env.KILN_ONLINE_LOCK_TIMEOUT;
    expect([tries(), lockTimeoutSeconds()]).toEqual([5, 2]);
    process.env.KILN_ONLINE_TRIES = '3';
    process.env.KILN_ONLINE_LOCK_TIMEOUT = '0.5';
    expect([tries(), lockTimeoutSeconds()]).toEqual([3, 0.5]);
  });

  test.each([
    ['KILN_ONLINE_TRIES', 'abc', /^KILN_ONLINE_TRIES must be a whole number >= 1, got 'abc'$/],
    ['KILN_ONLINE_TRIES', '0', /^KILN_ONLINE_TRIES must be a whole number >= 1, got '0'$/],
    ['KILN_ONLINE_TRIES', '2.5', /^KILN_ONLINE_TRIES must be a whole number >= 1, got '2.5'$/],
    ['KILN_ONLINE_LOCK_TIMEOUT', 'NaN', /^KILN_ONLINE_LOCK_TIMEOUT must be a number of seconds > 0, got 'NaN'$/],
    ['KILN_ONLINE_LOCK_TIMEOUT', '-1', /^KILN_ONLINE_LOCK_TIMEOUT must be a number of seconds > 0, got '-1'$/],
  ])('%s=%s: the step fails before it runs anything', async (name, value, message) => {
    process.env[name] = value;
    let ran = false;
    await expect(
      ddl(knex, async () => {
        ran = true;
      }),
    ).rejects.toThrow(message);
    expect(ran).toBe(false);
  });
});
