/**
 * The collation a table kiln creates gets, which a table's own is compared with (a table that
 * differs lists `DEFAULT CHARSET=... COLLATE=...` as an unmanaged table option). MariaDB 11.2+
 * maps utf8mb4 to utf8mb4_uca1400_ai_ci through @@character_set_collations while COLLATIONS
 * still calls utf8mb4_general_ci the default: every table kiln made there would have listed as
 * one. CI runs MariaDB 10.11 (no such variable: the real-database tests cover that path,
 * test/pull/mysql-table-options.test.ts); the rows below are what 11.2+ returns.
 */
import { kilnCollation, tableOptionEntries } from '../../src/dialect/mysql/table-options';

const MARIADB_11_4 = 'utf8mb3=utf8mb3_uca1400_ai_ci,ucs2=ucs2_uca1400_ai_ci,utf8mb4=utf8mb4_uca1400_ai_ci,utf16=utf16_uca1400_ai_ci,utf32=utf32_uca1400_ai_ci';
const row = (collation: string, charset_collations: string | null) => ({ engine: 'InnoDB', default_engine: 'InnoDB', collation, kiln_collation: 'utf8mb4_general_ci', charset_collations });

test('MariaDB 11.2+: utf8mb4 maps to its uca1400 collation; a table kiln made there has no table option', () => {
  expect(kilnCollation(row('utf8mb4_uca1400_ai_ci', MARIADB_11_4))).toBe('utf8mb4_uca1400_ai_ci');
  expect(tableOptionEntries(row('utf8mb4_uca1400_ai_ci', MARIADB_11_4))).toEqual([]);
  // The old default is now a choice of the table's: said, and restated by a re-create.
  expect(tableOptionEntries(row('utf8mb4_general_ci', MARIADB_11_4))).toEqual([
    { kind: 'table option', name: 'DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci', sql: 'DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci' },
  ]);
});

test('no mapping (MariaDB before 11.2, MySQL) or one without utf8mb4: the default of COLLATIONS', () => {
  for (const mapping of [null, '', 'utf16=utf16_uca1400_ai_ci']) {
    expect(kilnCollation(row('utf8mb4_general_ci', mapping))).toBe('utf8mb4_general_ci');
    expect(tableOptionEntries(row('utf8mb4_general_ci', mapping))).toEqual([]);
    expect(tableOptionEntries(row('utf8mb4_bin', mapping))).toHaveLength(1);
  }
});
