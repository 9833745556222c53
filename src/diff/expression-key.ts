/**
 * The comparison key of a SQL expression the database prints back in its own spelling (a
 * generated column's expression): PostgreSQL adds casts and parentheses (`length((title)::text)`),
 * MySQL backquotes names, MariaDB and SQLite keep what was written. Outside string literals:
 * identifier quotes, `::type` casts, white space and case are ignored, and a lone name in
 * parentheses is the name. Two expressions with the same key are the same change-wise.
 */
export function expressionKey(sql: string): string {
  return sql
    .split(/('(?:[^']|'')*')/)
    .map((part, i) => (i % 2 ? part : codeKey(part)))
    .join('');
}

function codeKey(code: string): string {
  let s = code
    .replace(/::(?:"[^"]+"|[a-z_][\w ]*?)(?:\([\d, ]*\))?(?:\[\])*(?=[\s),+\-*/|<>=]|$)/gi, '')
    .replace(/["`]/g, '')
    .replace(/\s+/g, '')
    .toLowerCase();
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(/(^|[^\w$])\(([\w$]+)\)/g, '$1$2');
  }
  return s;
}
