/** Models of the issue-11 table tests (checks, indexes, comments). */
import type { DialectName } from '../../src/dialect/types';

/** The models, with what the dialect can do (MySQL/MariaDB: no partial or expression index; PostgreSQL only: method, include). */
export function productModels(dialect: DialectName, edited: boolean): string {
  const indexes = [
    edited ? "{ columns: ['qty', 'name'], order: ['asc', 'desc'] }" : "{ columns: ['qty', 'name'], order: ['desc', 'asc'] }",
    ...(dialect === 'mysql'
      ? []
      : [
          "{ on: 'lower(email)', name: 'product_email_lower' }",
          edited
            ? "{ columns: ['email'], where: 'deleted_at is null and qty > 0', unique: true, name: 'product_live_email' }"
            : "{ columns: ['email'], where: 'deleted_at is null', unique: true, name: 'product_live_email' }",
        ]),
    ...(dialect === 'postgres' ? ["{ columns: ['name'], method: 'hash' }", "{ columns: ['status'], include: ['qty'] }"] : []),
  ];
  const checks = edited
    ? `[{ expression: "status in ('new', 'old', 'gone')" }, { expression: 'qty between 0 and 1000', name: 'product_qty_range' }]`
    : `[{ expression: "status in ('new', 'old')" }, { expression: 'qty between 0 and 1000', name: 'product_qty_range' }, { expression: "name <> ''" }]`;
  return `import { model, Integer, String, DateTime, Float } from 'kiln';
export const Product = model('Product', {
  id: Integer().primaryKey(),
  name: String(50).notNull()${edited ? '' : `.comment("the product's name? yes \\\\ no")`},
  email: String(100)${edited ? ".comment('where to write')" : ''},
  price: Float().check('price >= 0'),
  qty: Integer().notNull().default(0),
  status: String(10),
  deleted_at: DateTime(),${edited ? "\n  note: String(20).comment('added later'),\n  weight: Float().check('weight > 0', 'product_weight_positive')," : ''}
}, {
  comment: ${edited ? "'things we sell, and sold'" : "'things we sell'"},
  checks: ${checks},
  indexes: [${indexes.join(', ')}],
});
`;
}

