import { ruleList } from './rules';

/** docs/lint.md: every rule with what it objects to, why, and the fix (scripts/lint-docs.js writes it). */
export function lintDocs(): string {
  const head = `# kiln db lint: the rules

\`kiln db lint\` runs the pending migrations offline (the SQL \`kiln db upgrade --sql\` prints;
nothing changes) and reads each statement: the lock it takes on each table that exists today,
whether it rewrites the table, and the rules below. PostgreSQL statements are read by
PostgreSQL's own parser (libpg-query); MySQL/MariaDB by InnoDB's online DDL rules (INSTANT,
INPLACE with LOCK=NONE, or COPY); SQLite has one writer at a time, so only the rules about data
and the running application apply there.

A rule about a table's rows (an index build, a validation, a rewrite) only fires when the table
exists before the run and holds rows (counted exactly up to 100,000, the planner's estimate
beyond); tables created by the same run never trigger it.

- Exit code: 1 when a finding at or above \`--fail-on\` (default \`warning\`) is left; \`--json\`
  prints the whole analysis.
- Accept a finding: a comment \`kiln-lint-allow: RULE[, RULE]\` (with your reason after it)
  anywhere in the migration file accepts those rules for the file; inside a raw SQL statement
  it accepts them for that statement. Accepted findings are listed as \`allowed\` and not counted.
- \`kiln db upgrade --plan\` prints every statement with its lock and rewrite, without rules.
- \`kiln db migrate\` prints the findings of the file it wrote (\`--no-lint\` to skip).

| rule | severity | what |
|---|---|---|
`;
  const rules = ruleList();
  const table = rules.map((r) => `| [\`${r.id}\`](#${r.id}) | ${r.severity} | ${r.title} |`).join('\n');
  const sections = rules.map((r) => `## ${r.id}\n\n**${r.title}** (${r.severity})\n\n${r.why}\n\n**Fix:** ${r.fix}\n`).join('\n');
  return `${head}${table}\n\n${sections}`;
}
