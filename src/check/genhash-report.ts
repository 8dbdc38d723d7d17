// Pure text of genhash's output (keepalived -T): the digest alone, or with -v the header and
// body as hex dumps, the hash and the response time, laid out as keepalived 2.2.7 prints them
// (observed output format: offsets in decimal, 16 bytes per line, ASCII column).

const BANNER_FILL = '-----------------------';

function banner(title: string): string {
  return `${BANNER_FILL}[${title}]${BANNER_FILL}\n`;
}

export function hexDump(bytes: Uint8Array): string {
  let out = '';
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const line = bytes.subarray(offset, offset + 16);
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      const byte = line[i];
      hex += byte === undefined ? '   ' : `${byte.toString(16).padStart(2, '0')} `;
      if (i === 7) hex += line.length > 8 ? '- ' : '  ';
      if (byte !== undefined) ascii += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
    }
    out += `${String(offset).padStart(4, '0')}  ${hex}  ${ascii.padEnd(16)}\n`;
  }
  return out;
}

export interface GenhashResponse {
  readonly path: string;
  readonly header: Buffer;
  readonly body: Buffer;
  readonly digest: Buffer;
  readonly elapsedUs: number;
}

export function genhashReport(response: GenhashResponse, verbose: boolean): string {
  const hex = response.digest.toString('hex');
  if (!verbose) return `${hex}\n`;
  return (
    banner('    HTTP Header Buffer    ') +
    hexDump(response.header) +
    banner(' HTTP Header Ascii Buffer ') +
    `${response.header.toString('latin1')}\n` +
    banner('        HTML Buffer        ') +
    hexDump(response.body) +
    '\n' +
    banner('    HTML hash resulting    ') +
    hexDump(response.digest) +
    banner(' HTML hash final resulting ') +
    `${hex}\n\n` +
    `Global response time for [${response.path}] = ${Math.round(response.elapsedUs)} usecs\n`
  );
}
