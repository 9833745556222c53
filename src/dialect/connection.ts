import type { Knex } from 'knex';

/** libpq's TLS modes (see src/config/url-options.ts for their meanings). */
export type TlsMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

/** What a dialect decides about its database URL and Knex connection (see Dialect). */
export interface DialectConnection {
  /** The URL schemes that name this database (`postgresql://`, `postgres://`). */
  readonly urlSchemes: readonly string[];
  /** The URL's form: a file (`sqlite:///data.db`) or a server (`postgresql://user@host/db`). */
  readonly urlForm: 'file' | 'server';
  /** The query-string options a URL may carry; anything else is refused. */
  readonly urlOptions: readonly string[];
  /** An option's canonical spelling (MySQL accepts `ssl-mode` for `ssl_mode`). */
  optionName(name: string): string;
  /** Refuses a bad option value (TLS options are checked through `tls`). */
  checkOption(options: Readonly<Record<string, string>>): void;
  /** TLS as URL options say it, or undefined where there is none (a file). */
  readonly tls: DialectTls | undefined;
  /** The statement that makes a session refuse every write. */
  readonly readOnlySql: string;
  /** Driver connection settings beyond host, port, user, password and database. */
  readonly driverSettings: Readonly<Record<string, unknown>>;
  /** Knex settings that a URL option asks for (PostgreSQL's `?schema=`: the search path). */
  knexSettings(options: Readonly<Record<string, string>>): Partial<Knex.Config>;
}

/** The URL options of TLS, and the driver's own TLS switches. */
export interface DialectTls {
  /** The option naming the mode (`sslmode`, `ssl_mode`). */
  readonly modeOption: string;
  /** The options naming the root certificate, client certificate and client key files. */
  readonly fileOptions: readonly [ca: string, cert: string, key: string];
  /** The mode a value of `modeOption` means (refused with BAD_URL if none); `ca`: a root certificate is given. */
  parseMode(value: string, ca: boolean): TlsMode;
  /** Sets whether the driver checks that the certificate names the host, on its `ssl` object. */
  checkHost(ssl: Record<string, unknown>, check: boolean): void;
  /** Opens and closes one driver connection: the error, or null when it connected. */
  tryConnect(connection: Record<string, unknown>): Promise<unknown>;
}
