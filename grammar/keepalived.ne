# The block structure of keepalived.conf. The preprocessor and the moo line lexer
# (src/config/lexer.ts) have turned the files into lines and braces; src/config/parse.ts repairs
# the braces (reporting each repair) and folds everything into four token kinds, so this grammar
# always succeeds and nearley sees one token per brace, or one per block that holds no block:
#   head   a keyword line that opens a block, with the block-less statements that follow its `{`
#   close  a `}`, with the block-less statements that follow it
#   leaf   a whole block that holds no block (one token instead of head and close), already a
#          statement, with the block-less statements that follow its `}`
#   leaves the block-less statements before the first block of the file
# Lists are built as reversed cons cells and turned into arrays once per block (and once for the
# whole file), which keeps postprocessing linear.
@preprocessor typescript

@{%
import { StructureTokenSource, listToArray, type CloseToken, type HeadToken, type LeafBlockToken, type LeavesToken, type ParsedConfig, type StatementList } from '../lexer.js';
import type { Statement } from '../tree.js';

// The real token source is passed to each Parser; this one only answers `has` for nearleyc.
const lexer = new StructureTokenSource([]);

/** A block with the block-less statements after its `}` (a leaf token is already one). */
interface ClosedBlock {
  readonly statement: Statement;
  readonly leaves: Statement[] | null;
}
%}

@lexer lexer

# nearley completes `config` after every top-level block, so this stays O(1): parse.ts turns the
# one finished result into the statement array.
config -> %leaves:? {% ([leading]): ParsedConfig => ({ leading: (leading as LeavesToken | null)?.statements ?? null, list: null }) %}
  | %leaves:? blocks {% ([leading, list]): ParsedConfig => ({ leading: (leading as LeavesToken | null)?.statements ?? null, list: list as StatementList }) %}

# One or more blocks. Every head is followed by at least one block (a block holding no block is
# a leaf token), so no rule is nullable: nearley then makes fewer states per token.
blocks -> block {% ([block]): StatementList => ({ statement: (block as ClosedBlock).statement, trailing: (block as ClosedBlock).leaves, rest: null }) %}
  | blocks block {% ([rest, block]): StatementList => ({
      statement: (block as ClosedBlock).statement,
      trailing: (block as ClosedBlock).leaves,
      rest: rest as StatementList,
    }) %}

block -> %head blocks %close {% ([head, list, close]): ClosedBlock => ({
    statement: {
      keyword: (head as HeadToken).keyword,
      args: (head as HeadToken).args,
      block: listToArray((head as HeadToken).leaves, list as StatementList),
      blockEnd: (close as CloseToken).loc,
    },
    leaves: (close as CloseToken).leaves,
  }) %}
  | %leaf {% ([leaf]): ClosedBlock => leaf as LeafBlockToken %}
