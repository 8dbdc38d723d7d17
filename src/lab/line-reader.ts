// Lines of a child's output stream, handed to a callback as they arrive.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export function onLines(stream: Readable | null, handle: (line: string) => void): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', handle);
}
