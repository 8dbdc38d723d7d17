// A real server for the LVS lab: node:http on every address at PORT, answering each request
// with NAME (so the client can count where the director sent it). Prints "ready" once listening.
import { createServer } from 'node:http';

const [port, name] = process.argv.slice(2);
const server = createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
  response.end(name);
});
server.listen(Number(port), () => process.stdout.write('ready\n'));
