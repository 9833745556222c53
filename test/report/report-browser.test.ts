/**
 * `kiln db report` opened in headless Chromium (Debian's `chromium`, driven by playwright-core)
 * and checked from the DOM as a person would see it: every table section, the diagram visible
 * with a non-zero size (and zoom working), applied (with date), edited-since-applied and pending
 * migrations, the db check result, no console error, no request to anything but the file
 * itself; a hostile table name shown as text, never markup. A screenshot is written to
 * test-artifacts/report.png. SQLite only (the graph's --from-db tests cover the servers).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { copyExample, kiln, REPO, rmProject } from '../helpers/cli';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';

const CHROMIUM = process.env.KILN_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO, 'test-artifacts');
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>\'\x07';
const TABLES = [
  'article', 'association', 'author', 'book', 'capital', 'citizen', 'city', 'comment', 'country',
  'draft', 'note', 'post', 'product', 'shop_order', 'singer', 'song', 'student', 'teacher', 'writer',
];

describe('db report in a browser', () => {
  let dir: string;
  let db: FreshDatabase;
  let browser: Browser;
  const env = () => ({ DATABASE_URL: db.url });

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (.ci/run does) or set KILN_CHROMIUM`);
    dir = copyExample();
    db = await freshDatabase({ name: 'sqlite' });
    const ok = async (args: string[]) => {
      const r = await kiln(args, { cwd: dir, env: env() });
      if (r.code !== 0) throw new Error(`kiln ${args.join(' ')}: ${r.stderr}`);
    };
    await ok(['db', 'upgrade']);
    await ok(['db', 'revision', '-m', 'edited later']);
    await ok(['db', 'upgrade']);
    const edited = fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.includes('edited_later'))[0];
    fs.appendFileSync(path.join(dir, 'migrations', edited), '\n// edited after it was applied\n');
    await new Promise((r) => setTimeout(r, 1100)); // a later revision id (one per second)
    await ok(['db', 'revision', '-m', 'not yet applied']);
    // Raw SQL: Knex would split the name at its dots.
    await db.connect().raw(`CREATE TABLE "${HOSTILE.replace(/"/g, '""')}" (id integer PRIMARY KEY AUTOINCREMENT, "<b>""col""</b>" varchar(255))`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await db?.cleanup();
    if (dir) rmProject(dir);
  });

  test('every section, the diagram, the history and the check, with no error and no request', async () => {
    const r = await kiln(['db', 'report', '--out', 'schema.html'], { cwd: dir, env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Wrote schema.html: 20 table(s), 5 migration(s).\n');

    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    await page.goto(`file://${path.join(dir, 'schema.html')}`, { waitUntil: 'load' });

    // One section per table, titled with the name as text.
    const titles = await page.locator('section.table h3').allTextContents();
    expect(titles).toHaveLength(20);
    for (const t of TABLES) expect(titles).toContain(t);
    expect(titles).toContain(HOSTILE.replace('\x07', '\\x07'));
    await expect(page.locator('section.table').first().isVisible()).resolves.toBe(true);

    // The hostile name is text: no element, no script ran.
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('#diagram-svg text', { hasText: '<script>window.__pwned=2' }).count()).toBe(1);
    expect(await page.locator('td.name', { hasText: '<b>"col"</b>' }).count()).toBe(1);

    // The diagram: visible, a real size, one node per table; zoom changes the view.
    const svg = page.locator('#diagram-svg');
    const box = await svg.boundingBox();
    expect(box && box.width > 100 && box.height > 100).toBe(true);
    expect(await svg.isVisible()).toBe(true);
    expect(await page.locator('#diagram-svg g.node').count()).toBe(20);
    const viewBox = async () => (await svg.getAttribute('viewBox'))!.trim().split(/\s+/).map(Number);
    const before = await viewBox();
    await page.click('button[data-zoom="in"]');
    expect((await viewBox())[2]).toBeLessThan(before[2]);
    await page.click('button[data-zoom="reset"]');
    expect(await viewBox()).toEqual(before);

    // The history: applied with a date, edited since applied, pending.
    const rows = page.locator('#history tr.migration');
    expect(await rows.count()).toBe(5);
    const states = await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-state'), tr.textContent]));
    expect(states.map((s) => s[0])).toEqual(['applied', 'applied', 'applied', 'edited', 'pending']);
    expect(states[0][1]).toMatch(/create the tutorial schema.*applied\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(states[1][1]).toMatch(/shop.*applied\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(states[2][1]).toMatch(/draft edit time.*applied\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(states[3][1]).toMatch(/edited later.*edited since applied\d{4}-\d\d-\d\d/);
    expect(states[4][1]).toMatch(/not yet applied.*pending$/);

    // The check: drift (a pending migration and a table the models do not have).
    const check = await page.locator('#check').innerText();
    expect(check).toMatch(/models and database differ/);
    expect(check).toMatch(/1 migration\(s\) pending/);
    expect(check).toContain("Detected removed table '<img src=x");

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: false });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-dark.png'), fullPage: false });
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(15, 23, 42)');

    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
