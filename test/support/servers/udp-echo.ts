// A real UDP server for UDP_CHECK tests: echoes each datagram (optionally a fixed reply) or
// stays silent.
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface TestUdpServer {
  readonly host: string;
  readonly port: number;
  readonly received: Buffer[];
  close(): Promise<void>;
}

export function startUdpServer(mode: { reply: 'echo' | 'silent' | Buffer }): Promise<TestUdpServer> {
  const socket = dgram.createSocket('udp4');
  const received: Buffer[] = [];
  socket.on('message', (message, from) => {
    received.push(message);
    if (mode.reply === 'silent') return;
    socket.send(mode.reply === 'echo' ? message : mode.reply, from.port, from.address);
  });
  return new Promise((resolve) => {
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address() as AddressInfo;
      resolve({ host: '127.0.0.1', port, received, close: () => new Promise<void>((done) => socket.close(() => done())) });
    });
  });
}
