// The keepalived.conf a conversion produces: statements (keyword, arguments, optional block)
// with the `#` comments that belong just above them. Plain data, built by the mappers and
// printed by keepalived-writer.ts.

export interface OutputStatement {
  readonly keyword: string;
  readonly args: readonly (string | number)[];
  /** Present when the statement opens a `{ ... }` block. */
  readonly block?: readonly OutputStatement[];
  /** Comment lines printed above the statement, without the leading `#`. */
  readonly comments?: readonly string[];
}

export interface KeepalivedDocument {
  /** Comment lines at the top of the file. */
  readonly header: readonly string[];
  readonly statements: readonly OutputStatement[];
}

export function statement(keyword: string, ...args: (string | number)[]): OutputStatement {
  return { keyword, args };
}

export function block(keyword: string, args: readonly (string | number)[], body: readonly OutputStatement[], comments: readonly string[] = []): OutputStatement {
  return comments.length > 0 ? { keyword, args, block: body, comments } : { keyword, args, block: body };
}
