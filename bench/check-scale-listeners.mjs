// Listeners for bench/check-scale.mjs (run inside the bench namespace): TCP ports that accept and
// close, and HTTP ports that answer a tiny 200. Bound to 0.0.0.0 so every 127.x address reaches them.
// They count the connections they accept, so the bench sees how many checks each checker really
// made (keepalived's included); SIGUSR2 prints "connections N" on stdout.
import net from 'node:net';

const [tcpBase, httpBase, count] = process.argv.slice(2).map(Number);
const response = 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok';
let connections = 0;
for (let i = 0; i < count; i++) {
  net
    .createServer((socket) => {
      connections++;
      socket.destroy();
    })
    .listen({ port: tcpBase + i, host: '0.0.0.0', backlog: 4096 });
  net
    .createServer((socket) => {
      connections++;
      socket.on('error', () => undefined);
      socket.once('data', () => socket.end(response));
    })
    .listen({ port: httpBase + i, host: '0.0.0.0', backlog: 4096 });
}
process.on('SIGUSR2', () => process.stdout.write(`connections ${connections}\n`));
process.stdout.write('ready\n');
