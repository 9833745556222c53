import type { Schema } from '../../schema/types';
import { foreignKeyNames, refuseSharedNames } from '../shared-names';

/**
 * MySQL/MariaDB's names across tables: index, unique and (MariaDB's) check names are per table,
 * the primary key is always PRIMARY; InnoDB names a foreign key once in the database, whatever
 * the case.
 */
export function refuseMysqlNames(schema: Schema): Schema {
  return refuseSharedNames(schema, {
    parts: foreignKeyNames,
    caseBlind: true,
    rule: 'InnoDB keeps foreign key names unique in the database',
  });
}
