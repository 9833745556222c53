'use strict';
/** Generators of bench projects: TS migrations, kiln config, knexfile, Flask app, models. */
const fs = require('node:fs');
const path = require('node:path');

const pad = (i, n = 5) => String(i).padStart(n, '0');

/** A kiln/knex migration in the style `kiln db migrate` writes (header comment, up and down). */
function tsMigration(table, i) {
  return `/**
 * create ${table}
 *
 * Revision: ${revisionId(i)}
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('${table}', (t) => {
    t.increments('id');
    t.string('name', 100).notNullable();
    t.text('body');
    t.integer('qty').notNullable().defaultTo(0);
    t.index(['name'], 'ix_${table}_name');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('${table}');
}
`;
}

function revisionId(i) {
  // 2026-01-01 00:00:00 + i seconds, as YYYYMMDDHHMMSS (sortable, unique).
  const d = new Date(Date.UTC(2026, 0, 1) + i * 1000);
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** Writes `count` migrations (tables <prefix>00001...) into dir; returns the file names. */
function writeMigrations(dir, count, prefix = 't') {
  fs.mkdirSync(dir, { recursive: true });
  const names = [];
  for (let i = 1; i <= count; i++) {
    const table = `${prefix}${pad(i)}`;
    const name = `${revisionId(i)}_create_${table}.ts`;
    fs.writeFileSync(path.join(dir, name), tsMigration(table, i));
    names.push(name);
  }
  return names;
}

function writeKilnConfig(dir, database = 'sqlite:///data.db', extra = '') {
  fs.writeFileSync(
    path.join(dir, 'kiln.config.ts'),
    `import { defineConfig } from 'kiln';\n\nexport default defineConfig({\n  database: '${database}',\n  models: 'models',\n  migrations: 'migrations',\n${extra}});\n`,
  );
}

function writeKnexfile(dir, filename = 'data.db') {
  fs.writeFileSync(
    path.join(dir, 'knexfile.js'),
    `module.exports = {\n  client: 'sqlite3',\n  connection: { filename: ${JSON.stringify(path.join(dir, filename))} },\n  useNullAsDefault: true,\n  migrations: { directory: ${JSON.stringify(path.join(dir, 'migrations'))}, loadExtensions: ['.ts'] },\n};\n`,
  );
}

/** Table i's foreign key points at one of the first 10 tables (chains at most 10 deep: SQLAlchemy sorts recursively). */
const parentOf = (i) => 1 + ((i - 2) % 10);

/** kiln models: `count` tables shaped like the TS migrations above (plus a foreign key, parentOf). */
function writeModels(dir, count, prefix = 'm') {
  fs.mkdirSync(dir, { recursive: true });
  const lines = ["import { model, Integer, String, Text } from 'kiln';", ''];
  for (let i = 1; i <= count; i++) {
    const t = `${prefix}${pad(i)}`;
    const fk = i > 1 ? `\n  parent_id: Integer().references('${prefix}${pad(parentOf(i))}.id'),` : '';
    lines.push(
      `export const M${pad(i)} = model('M${pad(i)}', {\n  id: Integer().primaryKey(),\n  name: String(100).notNull().index(),\n  body: Text(),\n  qty: Integer().notNull(),${fk}\n}, { tableName: '${t}' });`,
    );
  }
  fs.writeFileSync(path.join(dir, 'tables.ts'), `${lines.join('\n')}\n`);
}

/** V views (views.ts), view i reading table i of writeModels' (V <= the number of tables). */
function writeViews(dir, count, prefix = 'm') {
  fs.mkdirSync(dir, { recursive: true });
  const lines = ["import { view } from 'kiln';", ''];
  for (let i = 1; i <= count; i++) {
    lines.push(`export const V${pad(i)} = view('v${pad(i)}', 'select id, name, qty from ${prefix}${pad(i)} where qty > 0');`);
  }
  fs.writeFileSync(path.join(dir, 'views.ts'), `${lines.join('\n')}\n`);
}

/**
 * T triggers (triggers.ts), trigger i on table i of writeModels' (T <= the number of tables): a
 * BEFORE UPDATE guard on qty, with a body per dialect (SQLite: a RAISE; PostgreSQL: a plpgsql
 * clamp; MySQL/MariaDB: a SET NEW.qty clamp). The odd ones carry a condition (`WHEN NEW.qty < 0`,
 * SQLite and PostgreSQL; MySQL/MariaDB have none, the body clamps anyway), so PostgreSQL's
 * condition probe has 50 of 100 triggers to probe.
 */
function writeTriggers(dir, count, prefix = 'm') {
  fs.mkdirSync(dir, { recursive: true });
  const lines = ["import { trigger } from 'kiln';", ''];
  for (let i = 1; i <= count; i++) {
    const when = i % 2 === 1;
    lines.push(
      `export const T${pad(i)} = trigger('tr${pad(i)}', {
  table: '${prefix}${pad(i)}',
  timing: 'before',
  events: ['update'],${when ? "\n  when: { sqlite: 'NEW.qty < 0', postgres: 'NEW.qty < 0' }," : ''}
  body: {
    sqlite: "SELECT RAISE(ABORT, 'qty below 0')${when ? '' : ' WHERE NEW.qty < 0'};",
    postgres: 'BEGIN NEW.qty := greatest(NEW.qty, 0); RETURN NEW; END',
    mysql: 'SET NEW.qty = GREATEST(NEW.qty, 0)',
  },
});`,
    );
  }
  fs.writeFileSync(path.join(dir, 'triggers.ts'), `${lines.join('\n')}\n`);
}

/**
 * N tables holding issue 11's objects: an enum (a named type per table on PostgreSQL), a
 * numeric column with a CHECK, a table CHECK, a stored generated column, a partial index
 * (PostgreSQL and SQLite; MySQL/MariaDB have none, so the models keep it off there), comments
 * on the table and a column, a plain index and a foreign key.
 */
function writeRichModels(dir, count, prefix = 'r') {
  fs.mkdirSync(dir, { recursive: true });
  const lines = ["import { model, Enum, Integer, Numeric, String } from 'kiln';", ''];
  for (let i = 1; i <= count; i++) {
    const t = `${prefix}${pad(i)}`;
    const fk = i > 1 ? `\n  parent_id: Integer().references('${prefix}${pad(parentOf(i))}.id'),` : '';
    lines.push(
      `export const R${pad(i)} = model('R${pad(i)}', {
  id: Integer().primaryKey(),
  name: String(100).notNull().index().comment('the name'),
  status: Enum('new', 'open', 'closed').notNull().default('new'),
  price: Numeric(10, 2).notNull().check('price >= 0'),
  qty: Integer().notNull(),
  total: Numeric(14, 2).computed('qty * price', { stored: true }),${fk}
}, {
  tableName: '${t}',
  comment: 'table ${i}',
  checks: [{ expression: 'qty between 0 and 1000' }],
  indexes: [{ columns: ['status'], where: "status = 'open'", dialects: ['postgres', 'sqlite'] }],
});`,
    );
  }
  fs.writeFileSync(path.join(dir, 'tables.ts'), `${lines.join('\n')}\n`);
}

/** The same tables as SQLAlchemy metadata, for Alembic's compare_metadata. */
function sqlalchemyModels(count, prefix = 'm') {
  const lines = [
    'from sqlalchemy import MetaData, Table, Column, Integer, String, Text, ForeignKey, Index',
    'metadata = MetaData()',
  ];
  for (let i = 1; i <= count; i++) {
    const t = `${prefix}${pad(i)}`;
    const fk = i > 1 ? `, Column('parent_id', Integer, ForeignKey('${prefix}${pad(parentOf(i))}.id'))` : '';
    lines.push(
      `Table('${t}', metadata, Column('id', Integer, primary_key=True), Column('name', String(100), nullable=False), Column('body', Text), Column('qty', Integer, nullable=False)${fk}, Index('${t}_name_index', 'name'))`,
    );
  }
  return `${lines.join('\n')}\n`;
}

module.exports = { pad, tsMigration, revisionId, writeMigrations, writeKilnConfig, writeKnexfile, writeModels, writeRichModels, writeViews, writeTriggers, sqlalchemyModels };
