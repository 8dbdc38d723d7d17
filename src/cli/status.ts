// `keepalived-ts status [--socket PATH | --url URL] [--json]`: asks the running VRRP process'
// status endpoint (--status-socket / kts_status_socket) for /status and prints one line per
// instance, or the JSON document itself with --json.
import { request } from 'node:http';
import { formatStatus } from '../daemon/status-format.js';
import type { StatusDocument } from '../daemon/status-model.js';
import type { Command } from './commands.js';

export const DEFAULT_STATUS_SOCKET = '/run/keepalived-ts/status.sock';
const TIMEOUT_MS = 3000;
const USAGE = 'usage: keepalived-ts status [--socket PATH | --url http://127.0.0.1:PORT] [--json]\n';

interface StatusArgs {
  readonly target: { readonly socketPath: string } | { readonly url: URL };
  readonly json: boolean;
}

function parseArgs(args: readonly string[]): StatusArgs | string {
  let target: StatusArgs['target'] = { socketPath: DEFAULT_STATUS_SOCKET };
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (name === '--json') json = true;
    else if (name === '--socket') {
      const path = value();
      if (path === undefined) return '--socket needs a PATH';
      target = { socketPath: path };
    } else if (name === '--url') {
      const text = value();
      if (text === undefined) return '--url needs a URL';
      try {
        target = { url: new URL(text) };
      } catch {
        return `'${text}' is not a URL`;
      }
    } else return `unknown argument '${arg}'`;
  }
  return { target, json };
}

function fetchStatus(target: StatusArgs['target']): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = 'socketPath' in target
      ? { socketPath: target.socketPath, path: '/status' }
      : { host: target.url.hostname.replace(/^\[|\]$/g, ''), port: target.url.port || 80, path: new URL('/status', target.url).pathname };
    const req = request({ ...options, method: 'GET', timeout: TIMEOUT_MS }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode === 200) resolve(body);
        else reject(new Error(`HTTP ${response.statusCode}: ${body.trim()}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export const status: Command = async (context) => {
  const args = parseArgs(context.args);
  if (typeof args === 'string') {
    context.stderr.write(`keepalived-ts status: ${args}\n${USAGE}`);
    return 1;
  }
  const where = 'socketPath' in args.target ? args.target.socketPath : args.target.url.href;
  let body: string;
  try {
    body = await fetchStatus(args.target);
  } catch (error) {
    context.stderr.write(`keepalived-ts status: cannot read ${where}: ${(error as Error).message}\n` +
      '(is the daemon running with --status-socket PATH, kts_status_socket or kts_status_listen?)\n');
    return 1;
  }
  if (args.json) {
    context.stdout.write(`${body}\n`);
    return 0;
  }
  context.stdout.write(formatStatus(JSON.parse(body) as StatusDocument));
  return 0;
};
