// Listeners for bench/check-scale.mjs (run inside the bench namespace): TCP ports that accept and
// close, and HTTP ports that answer a tiny 200. Bound to 0.0.0.0 so every 127.x address reaches them.
import net from 'node:net';

const [tcpBase, httpBase, count] = process.argv.slice(2).map(Number);
const response = 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok';
for (let i = 0; i < count; i++) {
  net.createServer((socket) => socket.destroy()).listen({ port: tcpBase + i, host: '0.0.0.0', backlog: 4096 });
  net
    .createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.end(response));
    })
    .listen({ port: httpBase + i, host: '0.0.0.0', backlog: 4096 });
}
process.stdout.write('ready\n');
