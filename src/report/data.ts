import type { Schema } from '../schema/types';

/** One migration as the report lists it. */
export interface ReportMigration {
  readonly id: string;
  readonly message: string;
  /** edited: applied, and its file changed since (kiln's checksum); missing: applied, file gone. */
  readonly state: 'applied' | 'pending' | 'edited' | 'missing';
  /** ISO time it was applied, when it was. */
  readonly appliedAt: string | null;
}

/** Everything `kiln db report` writes into the page. Names in it are raw: the page escapes them. */
export interface ReportData {
  /** How messages name the database ("SQLite", "PostgreSQL"...): never its URL. */
  readonly database: string;
  readonly generatedAt: string;
  readonly schema: Schema;
  /** The diagram as Graphviz wrote it (its text already XML-escaped by Graphviz). */
  readonly svg: string;
  readonly history: readonly ReportMigration[];
  readonly check: { readonly ok: true; readonly inSync: boolean; readonly lines: readonly string[] } | { readonly ok: false; readonly error: string };
}
