/**
 * A password never appears in anything kiln prints, however malformed the URL it came in, from
 * DATABASE_URL or from the config file; a bad %-escape says which part of the URL holds it
 * (without printing a password). Through the real binary.
 */
import { kiln, makeProject, rmProject, writeFile } from '../helpers/cli';

const SECRET = 'Sekr3tPw';

/** Malformed and well-formed URLs, each holding SECRET as its password. */
const URLS: readonly string[] = [
  `postgresql:/user:${SECRET}@host/db`,
  `postgresql//user:${SECRET}@localhost/db`,
  `user:${SECRET}@host/db`,
  `postgres:user:${SECRET}@localhost/db`,
  `postgresql://user:${SECRET} with space@localhost:99999/db`,
  `postgresql://user:${SECRET}@localhost:99999/db`,
  `postgresql://user:${SECRET}@localhost:port/db`,
  `postgresql://user:${SECRET}@ho st/db`,
  `postgresql://user:${SECRET}@/db`,
  `postgresql://user:${SECRET}`,
  `postgresql://user:${SECRET}@127.0.0.1:1/db`,
  `postgresql://user:a@${SECRET}@127.0.0.1:1/db`,
  `postgresql://user:${SECRET}%zz@localhost/db`,
  `mysql://us%er:${SECRET}@localhost/db`,
  `mysql://user:${SECRET}@127.0.0.1:1/db?bogus=1`,
  `postgresql://user:${SECRET}@127.0.0.1:1/db?sslmode=maybe`,
  `mssql://user:${SECRET}@host/db`,
  // libpq's own spelling: the password as a query option.
  `postgresql:///db?host=h&password=${SECRET}&x=1`,
  `postgresql://user@127.0.0.1:1/db?password=${SECRET}`,
];

describe('passwords are never printed', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject({ 'migrations/.keep': '' });
  });
  afterAll(() => rmProject(dir));

  test.each(URLS.map((u) => [u]))('DATABASE_URL=%s', async (url) => {
    for (const args of [['db', 'current'], ['db', 'current', '--verbose']]) {
      const r = await kiln(args, { cwd: dir, env: { DATABASE_URL: url } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      expect(r.stdout + r.stderr).not.toContain('Sekr3t');
    }
  });

  test.each(URLS.slice(0, 6).map((u) => [u]))('database in kiln.config.ts: %s', async (url) => {
    const project = makeProject({ 'migrations/.keep': '', 'kiln.config.ts': `export default { database: ${JSON.stringify(url)} };\n` });
    try {
      const r = await kiln(['db', 'current'], { cwd: project, env: { DATABASE_URL: undefined } });
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
    } finally {
      rmProject(project);
    }
  });

  test('a connection object with a password in kiln.config.ts', async () => {
    const project = makeProject({ 'migrations/.keep': '' });
    try {
      writeFile(project, 'kiln.config.ts', `export default { database: { client: 'pg', connection: { user: 'u', password: '${SECRET}' } } };\n`);
      const r = await kiln(['db', 'current'], { cwd: project, env: { DATABASE_URL: undefined } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
    } finally {
      rmProject(project);
    }
  });
});

describe('a bad %-escape names the part of the URL', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject({ 'migrations/.keep': '' });
  });
  afterAll(() => rmProject(dir));

  test.each([
    [`postgresql://us%zzer:${SECRET}@localhost/db`, "user name"],
    [`postgresql://user:${SECRET}%zz@localhost/db`, 'password'],
    [`postgresql://user:${SECRET}@local%zzhost/db`, 'host'],
    [`postgresql://user:${SECRET}@localhost/d%zzb`, 'database name'],
    [`postgresql://user:${SECRET}@localhost/db?schema=%zz`, "option 'schema'"],
    [`postgresql://user:${SECRET}@localhost/db?sslrootcert=%zz`, "option 'sslrootcert'"],
    ['sqlite:///%zz.db', 'file path'],
  ])('%s', async (url, part) => {
    const r = await kiln(['db', 'current'], { cwd: dir, env: { DATABASE_URL: url } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toContain('URI malformed');
    expect(r.stderr).toContain(`invalid %-escape in the database URL's ${part}`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });
});
