import type { Schema } from '../../schema/types';
import { foreignKeyNames, refuseLongNames, refuseSharedNames } from '../shared-names';

/**
 * MySQL/MariaDB's names across tables: index, unique and (MariaDB's) check names are per table,
 * the primary key is always PRIMARY; InnoDB names a foreign key once in the database, whatever
 * the case.
 */
export function refuseMysqlNames(schema: Schema): Schema {
  refuseLongNames(schema, { max: 64, unit: 'characters', database: 'MySQL/MariaDB', primaryKeyNamed: 'unless auto-increment' });
  return refuseSharedNames(schema, {
    parts: foreignKeyNames,
    caseBlind: true,
    rule: 'InnoDB keeps foreign key names unique in the database',
  });
}
