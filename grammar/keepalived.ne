# The block structure of keepalived.conf. The preprocessor and the moo line lexer
# (src/config/lexer.ts) have turned the files into lines and braces; src/config/parse.ts repairs
# the braces (reporting each repair) and folds them into three token kinds: `leaves` (consecutive
# statements without blocks), `head` (a keyword line that opens a block) and `close`. So this
# grammar always succeeds, and nearley sees few tokens. Lists are built as reversed cons cells and
# turned into arrays once per block, which keeps postprocessing linear.
@preprocessor typescript

@{%
import { StructureTokenSource, listToArray, type CloseToken, type HeadToken, type LeavesToken, type StatementList } from '../lexer.js';
import type { Statement } from '../tree.js';

// The real token source is passed to each Parser; this one only answers `has` for nearleyc.
const lexer = new StructureTokenSource([]);
%}

@lexer lexer

config -> statements {% ([list]) => listToArray(list as StatementList) %}

statements -> null {% (): StatementList => null %}
  | statements %leaves {% ([rest, leaves]): StatementList => ({ head: (leaves as LeavesToken).statements, rest: rest as StatementList }) %}
  | statements block {% ([rest, block]): StatementList => ({ head: block as Statement, rest: rest as StatementList }) %}

block -> %head statements %close {% ([head, list, close]): Statement => ({
    keyword: (head as HeadToken).keyword,
    args: (head as HeadToken).args,
    block: listToArray(list as StatementList),
    blockEnd: (close as CloseToken).loc,
  }) %}
