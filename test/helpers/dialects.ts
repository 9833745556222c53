import { parseDatabaseUrl } from '../../src/config/url';
import type { DialectName } from '../../src/dialect/types';

/** The dialects this test run covers: sqlite always, the servers when their URL is set. */
export interface TestDialect {
  readonly name: DialectName;
  /** For servers: a URL to an admin database where fresh databases can be created. */
  readonly adminUrl?: string;
}

export function testDialects(): TestDialect[] {
  const out: TestDialect[] = [{ name: 'sqlite' }];
  if (process.env.KILN_TEST_PG_URL) out.push({ name: 'postgres', adminUrl: process.env.KILN_TEST_PG_URL });
  if (process.env.KILN_TEST_MYSQL_URL) out.push({ name: 'mysql', adminUrl: process.env.KILN_TEST_MYSQL_URL });
  return out;
}

export { parseDatabaseUrl };
