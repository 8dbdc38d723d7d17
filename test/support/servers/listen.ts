// Shared helpers for the real test servers: listen on loopback port 0 and report the port the
// kernel chose; close everything a test opened.
import type { AddressInfo, Server } from 'node:net';

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export function listenOn(server: Server, host = '127.0.0.1'): Promise<RunningServer> {
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        host,
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
