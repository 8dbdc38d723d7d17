// Pure SMTP reply reading (RFC 5321 4.2): a reply is one or more lines "CODE-text" ending with
// "CODE text"; this finds the first complete reply in the bytes received so far.

export interface SmtpReply {
  readonly code: number;
  readonly text: string;
  /** Bytes consumed, so the caller can keep what follows. */
  readonly length: number;
}

export type SmtpReadResult = { kind: 'reply'; reply: SmtpReply } | { kind: 'incomplete' } | { kind: 'malformed'; line: string };

export function readSmtpReply(data: string): SmtpReadResult {
  let offset = 0;
  for (;;) {
    const newline = data.indexOf('\n', offset);
    if (newline < 0) return { kind: 'incomplete' };
    const line = data.slice(offset, newline).replace(/\r$/, '');
    offset = newline + 1;
    const match = /^(\d{3})([ -]?)(.*)$/.exec(line);
    if (!match) return { kind: 'malformed', line: line.slice(0, 80) };
    if (match[2] !== '-') return { kind: 'reply', reply: { code: Number(match[1]), text: match[3] ?? '', length: offset } };
  }
}
