import type { Knex } from 'knex';
import { ensureRow } from './_upsert';

// The shop: prices are decimal strings (drivers return numeric columns as strings; SQLite,
// which has no decimal type, as numbers). shop_order.total is computed by the database.
const PRODUCTS = [
  { name: 'green tea', price: '3.50' },
  { name: 'teapot', price: '24.90' },
];

const ORDERS = [
  { product: 'green tea', quantity: 4, status: 'paid' },
  { product: 'teapot', quantity: 1, status: 'pending' },
];

export async function seed(knex: Knex): Promise<void> {
  const ids: Record<string, number> = {};
  for (const p of PRODUCTS) ids[p.name] = await ensureRow(knex, 'product', { name: p.name }, { price: p.price });
  for (const o of ORDERS) {
    const price = PRODUCTS.find((p) => p.name === o.product)!.price;
    await ensureRow(knex, 'shop_order', { product_id: ids[o.product], quantity: o.quantity, status: o.status }, { unit_price: price });
  }
}
