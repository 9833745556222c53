/** What a dialect decides about running migrations (see Dialect). */
export interface DialectRuntime {
  /**
   * Whether DDL runs inside a transaction, so that a failed migration's earlier statements
   * roll back with it. MySQL/MariaDB commit every DDL statement at once: there a generated
   * migration of several steps undoes its completed steps itself (kiln/migrate).
   */
  readonly transactionalDdl: boolean;
}
