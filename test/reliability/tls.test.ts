/**
 * TLS options of database URLs mean what libpq and MySQL say: against the shared test servers
 * (which have no TLS) every option that asks for TLS fails with one error line and never
 * connects in plain text (no bookkeeping table appears), the ones that allow plain text
 * connect, and an unknown option is refused with the list of known ones.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { show, tableNames } from './helpers';

const servers = testDialects().filter((d) => d.name !== 'sqlite');

const MUST_ENCRYPT: Record<string, readonly string[]> = {
  postgres: ['sslmode=require', 'sslmode=verify-ca', 'sslmode=verify-full', 'ssl=true'],
  mysql: ['ssl=true', 'ssl_mode=REQUIRED', 'ssl-mode=VERIFY_CA', 'ssl_mode=VERIFY_IDENTITY'],
};
const MAY_BE_PLAIN: Record<string, readonly string[]> = {
  postgres: ['sslmode=disable', 'sslmode=prefer', 'sslmode=allow', 'ssl=false'],
  mysql: ['ssl=false', 'ssl_mode=DISABLED', 'ssl_mode=PREFERRED'],
};

function withOption(url: string, option: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${option}`;
}

describe.each(servers.map((d) => [d.name, d] as const))('TLS options on %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;

  beforeEach(async () => {
    dir = makeProject({ 'migrations/.keep': '' });
    db = await freshDatabase(dialect);
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  test('options that ask for TLS fail with one line and do not connect in plain text', async () => {
    for (const option of MUST_ENCRYPT[name]) {
      const r = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: withOption(db.url, option) } });
      expect([option, r.code]).toEqual([option, 1]);
      expect([option, r.stderr]).toEqual([option, expect.stringMatching(/^error: cannot connect to .*: the server does not offer TLS, which the URL's TLS option requires/)]);
      expect([option, r.stderr.trim().split('\n').length]).toEqual([option, 1]);
    }
    expect(await tableNames(db.connect(), name)).not.toContain('knex_migrations');
  });

  test('options that allow plain text connect', async () => {
    for (const option of MAY_BE_PLAIN[name]) {
      const r = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: withOption(db.url, option) } });
      expect([option, r.code === 0 ? '' : show(r)]).toEqual([option, '']);
    }
    expect(await tableNames(db.connect(), name)).toContain('knex_migrations');
  });

  test('db pull (the driver alone, no Knex): the same line as db upgrade for options that ask for TLS; the others read the database', async () => {
    for (const option of MUST_ENCRYPT[name]) {
      const env = { DATABASE_URL: withOption(db.url, option) };
      const pull = await kiln(['db', 'pull'], { cwd: dir, env });
      const upgrade = await kiln(['db', 'upgrade'], { cwd: dir, env });
      expect([option, pull.code]).toEqual([option, 1]);
      expect([option, pull.stderr]).toEqual([option, upgrade.stderr]);
      expect([option, pull.stderr]).toEqual([option, expect.stringMatching(/^error: cannot connect to .*: the server does not offer TLS, which the URL's TLS option requires/)]);
    }
    await db.connect().raw('CREATE TABLE note (id integer PRIMARY KEY)');
    for (const [i, option] of MAY_BE_PLAIN[name].entries()) {
      const r = await kiln(['db', 'pull', '--out', `pulled${i}`], { cwd: dir, env: { DATABASE_URL: withOption(db.url, option) } });
      expect([option, r.code === 0 ? '' : show(r)]).toEqual([option, '']);
      expect([option, fs.readdirSync(path.join(dir, `pulled${i}`))]).toEqual([option, ['note.ts']]);
    }
  });

  test('an unknown option or value is refused with the known ones', async () => {
    const typo = name === 'postgres' ? 'sslmod=require' : 'sslmode=require';
    let r = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: withOption(db.url, typo) } });
    expect(r.code).toBe(1);
    const known = name === 'postgres' ? 'schema, sslmode, sslrootcert, sslcert, sslkey, ssl' : 'ssl_mode, ssl_ca, ssl_cert, ssl_key, ssl';
    expect(r.stderr).toBe(`error: unknown option '${typo.split('=')[0]}' in the database URL: known ${name === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB'} options are ${known}\n`);
    r = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: withOption(db.url, name === 'postgres' ? 'sslmode=verify' : 'ssl_mode=VERIFY') } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: invalid option ssl_?mode='VERIFY' in the database URL: use one of /i);
    r = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: withOption(db.url, 'ssl=maybe') } });
    expect(r.stderr).toBe("error: invalid option ssl='maybe' in the database URL: use true or false\n");
    expect(await tableNames(db.connect(), name)).not.toContain('knex_migrations');
  });
});

test('SQLite refuses unknown URL options too', async () => {
  const dir = makeProject({ 'migrations/.keep': '' });
  try {
    const r = await kiln(['db', 'current'], { cwd: dir, env: { DATABASE_URL: 'sqlite:///app.db?sslmode=require' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: unknown option 'sslmode' in the database URL: known SQLite options are mode\n");
  } finally {
    rmProject(dir);
  }
});
