// `keepalived-ts -T ...` / `keepalived-ts genhash ...`: keepalived's genhash. Fetches one URL
// with the same request HTTP_GET/SSL_GET send and prints the MD5 digest of the raw body, the
// value to put in a url block's `digest`. Options, messages and exit codes follow keepalived 2.2.7.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { fetchRaw } from '../check/http.js';
import { headerEnd } from '../check/http-message.js';
import { genhashReport } from '../check/genhash-report.js';
import type { HttpCheckSpec, HttpProtocol } from '../check/types.js';
import type { Command } from './commands.js';

/** keepalived's genhash waits for the server as long as it takes unless -t is given. */
const NO_TIMEOUT_MS = 2 ** 31 - 1;

const USAGE = `Usage: keepalived-ts --genhash COMMAND [OPTIONS]
Commands:
   -s server-address -p port -u url
   -S -s server-address -p port -u url
   -h

Options:
Either long or short options are allowed.
   --use-ssl         -S       Use SSL connection to remote server.
   --use-sni         -I       Use SNI during SSL handshake (uses virtualhost setting; see -V).
   --server          -s       Use the specified remote server address.
   --port            -p       Use the specified remote server port.
   --url             -u       Use the specified remote server url.
   --use-virtualhost -V       Use the specified virtualhost in GET query.
   --verbose         -v       Use verbose mode output.
   --help            -h       Display this short inlined help screen.
   --fwmark          -m       Use the specified FW mark (not supported: ignored with a warning).
   --protocol        -P       Use the specified HTTP protocol - '1.0', 1.0c', '1.1'.
                                1.0c means 1.0 with 'Connection: close'
   --timeout         -t       Timeout in seconds
`;

const PROTOCOLS: Record<string, HttpProtocol> = { '1.0': '1.0', '1.0c': '1.0C', '1.0C': '1.0C', '1.1': '1.1' };

export const genhash: Command = async ({ args, stdout, stderr }) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      options: {
        'use-ssl': { type: 'boolean', short: 'S' },
        'use-sni': { type: 'boolean', short: 'I' },
        server: { type: 'string', short: 's' },
        port: { type: 'string', short: 'p' },
        url: { type: 'string', short: 'u' },
        'use-virtualhost': { type: 'string', short: 'V' },
        verbose: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
        fwmark: { type: 'string', short: 'm' },
        protocol: { type: 'string', short: 'P' },
        timeout: { type: 'string', short: 't' },
      },
    }).values;
  } catch (error) {
    stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  if (parsed.help) {
    stderr.write(USAGE);
    return 0;
  }
  const port = Number(parsed.port);
  const protocol = parsed.protocol === undefined ? '1.0' : PROTOCOLS[parsed.protocol];
  const timeoutSeconds = parsed.timeout === undefined ? undefined : Number(parsed.timeout);
  if (
    parsed.server === undefined ||
    parsed.url === undefined ||
    !Number.isInteger(port) ||
    port < 1 ||
    port > 65535 ||
    protocol === undefined ||
    (timeoutSeconds !== undefined && !(timeoutSeconds > 0))
  ) {
    stderr.write(USAGE);
    return 1;
  }
  if (parsed.fwmark !== undefined) stderr.write('keepalived-ts genhash: --fwmark is not supported, ignored\n');
  const ssl = parsed['use-ssl'] ?? false;
  const spec: HttpCheckSpec = {
    kind: ssl ? 'SSL_GET' : 'HTTP_GET',
    urls: [{ path: parsed.url }],
    httpProtocol: protocol,
    connectTimeoutMs: timeoutSeconds === undefined ? NO_TIMEOUT_MS : timeoutSeconds * 1000,
    ...(parsed['use-virtualhost'] !== undefined ? { virtualhost: parsed['use-virtualhost'] } : {}),
    ...(parsed['use-sni'] ? { enableSni: true } : {}),
  };
  const startedAt = performance.now();
  const { result, data } = await fetchRaw(spec, spec.urls[0]!, { id: 'genhash', address: parsed.server, port }, new AbortController().signal);
  if (!result.ok || data === undefined) {
    stdout.write(`${failureMessage(result.reason, ssl, parsed.server)}\n`);
    return 0;
  }
  const end = headerEnd(data);
  if (data.length === 0 || end < 0) {
    stdout.write('no data received from remote webserver\n');
    return 0;
  }
  const body = data.subarray(end);
  stdout.write(
    genhashReport(
      {
        path: parsed.url,
        header: data.subarray(0, end),
        body,
        digest: createHash('md5').update(body).digest(),
        elapsedUs: (performance.now() - startedAt) * 1000,
      },
      parsed.verbose ?? false,
    ),
  );
  return 0;
};

/** keepalived's genhash messages for a failed fetch. */
function failureMessage(reason: string, ssl: boolean, server: string): string {
  if (reason.startsWith('timeout')) return 'Timeout WEB read';
  if (/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL/.test(reason)) return 'Connection failed';
  if (ssl) return `SSL handshake/communication error connecting to ${server}`;
  return "Connection failed";
}
