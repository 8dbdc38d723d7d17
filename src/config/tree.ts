// The generic block tree: what the grammar produces from preprocessed tokens, before any keyword
// meaning is applied. keepalived.conf is a list of statements, each a keyword, its arguments and
// an optional { block } of further statements. Value lines inside blocks such as
// virtual_ipaddress (`10.0.0.1/24 dev eth0`) are statements too: their first word is the keyword.

export interface SourceLocation {
  /** Path of the file the token came from (after include resolution). */
  readonly file: string;
  /** 1-based line and column in that file. */
  readonly line: number;
  readonly col: number;
}

export interface Word {
  /** The token's text after variable substitution, without surrounding quotes. */
  readonly text: string;
  readonly loc: SourceLocation;
  /** True when the word was written in double quotes (keepalived keeps spaces inside). */
  readonly quoted: boolean;
}

export interface Statement {
  readonly keyword: Word;
  readonly args: readonly Word[];
  /** Present when the statement opened a `{ ... }` block (possibly empty). */
  readonly block?: readonly Statement[];
  /** Where the block's closing brace stood, for "block opened here is never closed" style errors. */
  readonly blockEnd?: SourceLocation;
}

export type ConfigTree = readonly Statement[];
