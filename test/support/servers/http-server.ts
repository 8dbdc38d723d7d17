// A real HTTP/HTTPS server for checker tests: each path answers with a status, a body and an
// optional delay; requests (raw bytes) and SNI names are recorded for assertions.
import net from 'node:net';
import tls from 'node:tls';
import { listenOn, type RunningServer } from './listen.js';

export interface Route {
  readonly status?: number;
  readonly body?: string;
  /** Wait this long before answering (slow server). */
  readonly delayMs?: number;
  /** Send exactly these bytes instead of a composed response. */
  readonly raw?: string;
}

export interface TestHttpServer extends RunningServer {
  readonly requests: string[];
  readonly serverNames: (string | false | null)[];
  /** Client address of each request. */
  readonly peers: string[];
}

function respond(socket: net.Socket, routes: Readonly<Record<string, Route>>, requests: string[], peers: string[]): void {
  let received = '';
  socket.setEncoding('latin1');
  socket.on('error', () => undefined);
  socket.on('data', (chunk: string) => {
    received += chunk;
    if (!received.includes('\r\n\r\n')) return;
    requests.push(received);
    peers.push(socket.remoteAddress ?? '');
    const path = /^GET (\S+)/.exec(received)?.[1] ?? '/';
    const route = routes[path] ?? { status: 404, body: 'not found' };
    const answer =
      route.raw ??
      `HTTP/1.0 ${route.status ?? 200} X\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(route.body ?? '', 'latin1')}\r\n\r\n${route.body ?? ''}`;
    const send = (): void => void socket.end(answer, 'latin1');
    if (route.delayMs) setTimeout(send, route.delayMs).unref();
    else send();
  });
}

export async function startHttpServer(routes: Readonly<Record<string, Route>>, host = '127.0.0.1'): Promise<TestHttpServer> {
  const requests: string[] = [];
  const peers: string[] = [];
  const server = net.createServer((socket) => respond(socket, routes, requests, peers));
  return { ...(await listenOn(server, host)), requests, serverNames: [], peers };
}

export async function startHttpsServer(
  routes: Readonly<Record<string, Route>>,
  credentials: { key: string; cert: string },
  host = '127.0.0.1',
): Promise<TestHttpServer> {
  const requests: string[] = [];
  const serverNames: (string | false | null)[] = [];
  const peers: string[] = [];
  const server = tls.createServer({ key: credentials.key, cert: credentials.cert }, (socket) => {
    serverNames.push(socket.servername);
    respond(socket, routes, requests, peers);
  });
  return { ...(await listenOn(server, host)), requests, serverNames, peers };
}
