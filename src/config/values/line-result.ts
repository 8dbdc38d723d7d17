// What a value-line grammar gives back: the value when the line is usable, and any problems.
import type { SchemaCode } from '../codes.js';
import type { Word } from '../tree.js';

export interface LineProblem {
  readonly code: SchemaCode;
  readonly at: Word;
  readonly message: string;
  readonly hint?: string;
}

export interface LineResult<T> {
  readonly value?: T;
  readonly problems: readonly LineProblem[];
}
