# The block structure of keepalived.conf. The preprocessor and the moo line lexer
# (src/config/lexer.ts) have already turned the files into three kinds of token: `line` (the words
# of one logical line), `open` ({) and `close` (}), with braces balanced and every `open` preceded
# by a `line` (src/config/parse.ts repairs the stream first and reports what it repaired), so this
# grammar always succeeds. Lists are built as reversed cons cells and turned into arrays once per
# block, which keeps postprocessing linear.
@preprocessor typescript

@{%
import { BlockTokenSource, listToArray, type BraceToken, type LineToken, type StatementList } from '../lexer.js';
import type { Statement } from '../tree.js';

// The real token source is passed to each Parser; this one only answers `has` for nearleyc.
const lexer = new BlockTokenSource([]);
type Statements = StatementList<Statement>;

function statementOf(line: LineToken): Statement {
  return { keyword: line.words[0]!, args: line.words.slice(1) };
}
%}

@lexer lexer

config -> statements {% ([list]) => listToArray(list as Statements) %}

statements -> null {% (): Statements => null %}
  | statements statement {% ([rest, head]): Statements => ({ head: head as Statement, rest: rest as Statements }) %}

statement -> %line {% ([line]) => statementOf(line as LineToken) %}
  | %line %open statements %close {% ([line, , list, close]): Statement => ({
      ...statementOf(line as LineToken),
      block: listToArray(list as Statements),
      blockEnd: (close as BraceToken).loc,
    }) %}
