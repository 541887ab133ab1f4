/** PostgreSQL error fields as both node-postgres and PGlite report them. */
interface PgError {
  code?: string;
  constraint?: string;
}

const pgError = (error: unknown): PgError => (typeof error === 'object' && error !== null ? (error as PgError) : {});

/** unique_violation (23505), optionally on one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = pgError(error);
  return e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/** The SQLSTATE of a database error, if it is one. */
export const sqlState = (error: unknown): string | undefined => pgError(error).code;
