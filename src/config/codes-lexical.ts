// Placeholder for the lexical layer's diagnostic codes (owned by the config-lex branch, which
// replaces this file). codes.ts merges these into the one registry.
import type { Severity } from './diagnostics.js';

export const LEXICAL_CODES = {} as const satisfies Record<string, { severity: Severity; summary: string }>;
