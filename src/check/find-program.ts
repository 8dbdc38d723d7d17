// Where a MISC_CHECK program is: itself when it has a slash, else the first executable match in
// PATH, as keepalived looks scripts up (measured on 2.2.7: misc_path "exit 0" is "Cannot find
// script exit in path" and the checker is disabled).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findProgram(program: string, path = process.env['PATH'] ?? '/usr/bin:/bin'): string | undefined {
  const candidates = program.includes('/') ? [program] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, program));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
