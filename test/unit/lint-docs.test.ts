import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintDocs } from '../../src/lint/docs';
import { ruleList } from '../../src/lint/rules';

test('docs/lint.md is written from the rules and up to date (node scripts/lint-docs.js)', () => {
  const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'lint.md'), 'utf8');
  expect(page).toBe(lintDocs());
  for (const r of ruleList()) expect(page).toContain(`## ${r.id}\n`);
});
