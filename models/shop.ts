import { model, relationship, Enum, Integer, Numeric, String, DateTime } from 'kiln';

/** The shop example: numeric prices, a status enum, checks, a partial index, comments, a generated column. */
export const Product = model(
  'Product',
  {
    id: Integer().primaryKey(),
    name: String(80).notNull().unique(),
    price: Numeric(10, 2).notNull().check('price >= 0').comment('unit price'),
  },
  { comment: 'things the shop sells', relationships: { orders: relationship('ShopOrder') } },
);

export const ShopOrder = model(
  'ShopOrder',
  {
    id: Integer().primaryKey(),
    product_id: Integer().notNull().references('product.id'),
    quantity: Integer().notNull().default(1),
    unit_price: Numeric(10, 2).notNull(),
    total: Numeric(12, 2).computed('quantity * unit_price', { stored: true }),
    status: Enum('pending', 'paid', 'shipped', 'cancelled', { name: 'order_status' }).notNull().default('pending'),
    placed_at: DateTime(),
  },
  {
    comment: 'one line per order',
    checks: [{ expression: 'quantity > 0', name: 'shop_order_quantity_positive' }],
    indexes: [{ columns: ['status'], where: "status = 'pending'", name: 'shop_order_pending_index', dialects: ['postgres', 'sqlite'] }],
  },
);
