// What a conversion could not carry over faithfully. Every ldirectord.cf line that has no exact
// keepalived equivalent produces one of these, so nothing is dropped without the operator knowing.

export interface ConversionWarning {
  /** 1-based line in the source file the warning is about (0 when it concerns the whole file). */
  readonly line: number;
  /** The ldirectord option (or construct) concerned, e.g. `receive` or `real`. */
  readonly option: string;
  readonly message: string;
}

export function warning(line: number, option: string, message: string): ConversionWarning {
  return { line, option, message };
}

/** `FILE:LINE: warning: option: message`, the shape editors and grep understand. */
export function formatWarning(file: string, w: ConversionWarning): string {
  return `${file}:${w.line}: warning: ${w.option}: ${w.message}`;
}

export function byLine(a: ConversionWarning, b: ConversionWarning): number {
  return a.line - b.line;
}
