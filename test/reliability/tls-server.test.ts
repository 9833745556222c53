/**
 * TLS against a PostgreSQL server that has it: a throwaway cluster (self-signed certificate
 * for 'localhost', like scripts/test-servers.sh starts its servers) that accepts TLS
 * connections only (pg_hba `hostssl`), so a connection that succeeds was encrypted.
 * verify-full checks the chain and the host name, verify-ca the chain only, require and
 * prefer encrypt without checking, allow falls back to TLS, disable cannot connect.
 * Runs with the PostgreSQL suite (KILN_TEST_PG_URL set); a missing initdb is an error in CI.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { kiln, makeProject, rmProject } from '../helpers/cli';

function pgBinDir(): string | null {
  if (process.env.KILN_PG_BINDIR) return process.env.KILN_PG_BINDIR;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(a) - Number(b)) : [];
  for (const v of versions.reverse()) if (fs.existsSync(path.join(root, v, 'bin', 'initdb'))) return path.join(root, v, 'bin');
  return null;
}

const BIN = pgBinDir();
const wanted = Boolean(process.env.KILN_TEST_PG_URL);
if (wanted && !BIN) {
  if (process.env.CI === 'true') throw new Error('tls-server.test.ts: PostgreSQL is tested but initdb was not found (set KILN_PG_BINDIR)');
  console.warn('!! tls-server.test.ts: initdb not found: the TLS server tests are SKIPPED (set KILN_PG_BINDIR)');
}
const asRoot = process.getuid?.() === 0;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function asPostgres(cmd: string, args: string[]): void {
  if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
  else execFileSync(cmd, args, { stdio: 'pipe' });
}

(wanted && BIN ? describe : describe.skip)('TLS against a PostgreSQL server with TLS only', () => {
  let dir: string;
  let port: number;
  let project: string;
  const url = (host: string, query: string) => `postgresql://kiln:tls-test-pw@${host}:${port}/postgres${query}`;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/server.key`, '-out', `${dir}/server.crt`, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'pipe' });
    fs.writeFileSync(`${dir}/pwfile`, 'tls-test-pw\n');
    fs.chmodSync(`${dir}/server.key`, 0o600);
    if (asRoot) execFileSync('chown', ['-R', 'postgres:', dir]);
    asPostgres(`${BIN}/initdb`, ['-D', `${dir}/data`, '-U', 'kiln', `--pwfile=${dir}/pwfile`, '-A', 'scram-sha-256']);
    fs.writeFileSync(`${dir}/data/pg_hba.conf`, 'hostssl all all 127.0.0.1/32 scram-sha-256\nhostssl all all ::1/128 scram-sha-256\n');
    port = await freePort();
    const opts = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c ssl=on -c ssl_cert_file=${dir}/server.crt -c ssl_key_file=${dir}/server.key -c fsync=off`;
    asPostgres(`${BIN}/pg_ctl`, ['-D', `${dir}/data`, '-l', `${dir}/server.log`, '-o', opts, '-w', '-t', '60', 'start']);
    project = makeProject({ 'migrations/.keep': '' });
    // A table for db pull to read (over TLS: the server takes nothing else).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pg = require('pg') as { Client: new (c: Record<string, unknown>) => { connect(): Promise<void>; query(sql: string): Promise<unknown>; end(): Promise<void> } };
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'kiln', password: 'tls-test-pw', database: 'postgres', ssl: { rejectUnauthorized: false } });
    await client.connect();
    try {
      await client.query('CREATE TABLE note (id integer PRIMARY KEY)');
    } finally {
      await client.end();
    }
  }, 120000);

  afterAll(() => {
    if (project) rmProject(project);
    try {
      asPostgres(`${BIN}/pg_ctl`, ['-D', `${dir}/data`, '-m', 'immediate', '-w', 'stop']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60000);

  const current = (databaseUrl: string) => kiln(['db', 'current'], { cwd: project, env: { DATABASE_URL: databaseUrl } });
  // db pull reads the catalog through the pg driver alone (src/dialect/postgres/catalog.ts), with the same TLS settings.
  let pulls = 0;
  const pull = (databaseUrl: string) => kiln(['db', 'pull', '--out', `pulled${++pulls}`], { cwd: project, env: { DATABASE_URL: databaseUrl } });

  test.each([
    ['localhost', '?sslmode=verify-full&sslrootcert=CRT'],
    ['localhost', '?sslmode=verify-ca&sslrootcert=CRT'],
    ['127.0.0.1', '?sslmode=verify-ca&sslrootcert=CRT'],
    ['127.0.0.1', '?sslmode=require&sslrootcert=CRT'],
    ['127.0.0.1', '?sslmode=require'],
    ['127.0.0.1', '?sslmode=prefer'],
    ['127.0.0.1', '?sslmode=allow'],
  ])('%s%s connects over TLS', async (host, query) => {
    const r = await current(url(host, query.replace('CRT', `${dir}/server.crt`)));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('<base>\n');
    const p = await pull(url(host, query.replace('CRT', `${dir}/server.crt`)));
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    expect(p.stdout).toContain("(table 'note')");
  });

  test.each([
    ['127.0.0.1', '?sslmode=verify-full&sslrootcert=CRT', /does not match certificate's altnames/],
    ['localhost', '?sslmode=verify-full', /self-signed certificate/],
    ['localhost', '?ssl=true', /self-signed certificate/],
    ['127.0.0.1', '?sslmode=verify-ca', /self-signed certificate/],
    ['127.0.0.1', '?sslmode=disable', /the server refused the connection: no pg_hba.conf entry .*no encryption/],
    ['127.0.0.1', '', /the server refused the connection: no pg_hba.conf entry .*no encryption/],
  ])('%s%s is refused', async (host, query, reason) => {
    const r = await current(url(host, query.replace('CRT', `${dir}/server.crt`)));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: cannot connect to /);
    expect(r.stderr).toMatch(reason);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout + r.stderr).not.toContain('tls-test-pw');
    const p = await pull(url(host, query.replace('CRT', `${dir}/server.crt`)));
    expect(p.code).toBe(1);
    expect(p.stderr).toBe(r.stderr);
  });
});
