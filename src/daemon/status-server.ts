// The opt-in status endpoint of the VRRP process: HTTP on a unix socket or a loopback port,
// serving GET /status (JSON, status-model.ts) and GET /metrics (Prometheus text, metrics.ts).
// Runs in the VRRP process itself, which owns the data: each request builds a small document
// from counters in memory, so a scrape costs the VRRP loop well under a millisecond. Only
// loopback addresses are accepted: the endpoint has no authentication.
import { createServer, type Server } from 'node:http';
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { isIP } from 'node:net';

export type StatusEndpoint = { readonly socketPath: string } | { readonly host: string; readonly port: number };

export interface StatusHandlers {
  status(): unknown | Promise<unknown>;
  readonly metricsContentType: string;
  metrics(): Promise<string>;
}

/** "127.0.0.1:9650", "[::1]:9650", "localhost:9650" → host and port, or why not. */
export function parseListenAddress(text: string): { host: string; port: number } | { error: string } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  if (match === null) return { error: `'${text}' is not ADDRESS:PORT` };
  const host = match[1] ?? match[2]!;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return { error: `port ${port} out of range` };
  const loopback = host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
  if (!loopback) return { error: `${host} is not a loopback address (the status endpoint has no authentication)` };
  return { host, port };
}

export class StatusServer {
  private constructor(private readonly server: Server, readonly endpoint: StatusEndpoint) {}

  static async start(endpoint: StatusEndpoint, handlers: StatusHandlers): Promise<StatusServer> {
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      if (path === '/status') {
        Promise.resolve(handlers.status()).then(
          (document) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document)),
          (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`),
        );
        return;
      }
      if (path === '/metrics') {
        handlers.metrics().then(
          (text) => response.writeHead(200, { 'content-type': handlers.metricsContentType }).end(text),
          (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`),
        );
        return;
      }
      response.writeHead(404, { 'content-type': 'text/plain' }).end('try /status or /metrics\n');
    });
    if ('socketPath' in endpoint) removeStaleSocket(endpoint.socketPath);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const onListening = (): void => {
        server.off('error', reject);
        resolve();
      };
      if ('socketPath' in endpoint) server.listen(endpoint.socketPath, onListening);
      else server.listen(endpoint.port, endpoint.host, onListening);
    });
    if ('socketPath' in endpoint) chmodSync(endpoint.socketPath, 0o600);
    return new StatusServer(server, endpoint);
  }

  /** The port actually bound (useful with port 0 in tests). */
  get port(): number | undefined {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : undefined;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if ('socketPath' in this.endpoint) removeStaleSocket(this.endpoint.socketPath);
  }
}

/** A socket file left by a crashed run would make listen() fail with EADDRINUSE; only sockets are removed. */
function removeStaleSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // absent: nothing to remove
  }
}
