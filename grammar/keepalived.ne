# The block structure of keepalived.conf. The preprocessor and the moo line lexer
# (src/config/lexer.ts) have turned the files into lines and braces; src/config/parse.ts repairs
# the braces (reporting each repair) and folds everything into four token kinds, so this grammar
# always succeeds and nearley sees one token per brace, or one per block that holds no block:
#   head   a keyword line that opens a block, with the block-less statements that follow its `{`
#   close  a `}`, with the block-less statements that follow it
#   leaf   a whole block that holds no block (one token instead of head and close), already a
#          statement, with the block-less statements that follow its `}`
#   leaves the block-less statements before the first block of the file
# Lists inside a block are built as reversed cons cells and turned into an array once per block,
# which keeps postprocessing linear. The file's own list is not kept: parse.ts feeds the tokens
# one top-level block at a time and takes each block from the result as soon as it is complete,
# so the tree of a block can be checked and dropped while the rest of the file is still read.
@preprocessor typescript

@{%
import { StructureTokenSource, listToArray, type ClosedBlock, type CloseToken, type HeadToken, type LatestBlock, type LeafBlockToken, type LeavesToken, type ParsedConfig, type StatementList } from '../lexer.js';

// The real token source is passed to each Parser; this one only answers `has` for nearleyc.
const lexer = new StructureTokenSource();
%}

@lexer lexer

# nearley completes `config` after every top-level block; the result holds only the latest one
# (with the statements before the first block), in a box parse.ts empties once it has taken the
# block, so nothing of a block stays reachable from the parser's states after that.
config -> %leaves:? {% ([leading]): ParsedConfig => ({ leading: (leading as LeavesToken | null)?.statements ?? null, latest: null }) %}
  | %leaves:? topBlocks {% ([leading, latest]): ParsedConfig => ({ leading: (leading as LeavesToken | null)?.statements ?? null, latest: latest as LatestBlock }) %}

topBlocks -> block {% ([block]): LatestBlock => ({ block: block as ClosedBlock }) %}
  | topBlocks block {% ([, block]): LatestBlock => ({ block: block as ClosedBlock }) %}

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
