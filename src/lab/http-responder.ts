// A tiny HTTP server for the lab's real servers and directors: answers every request with its own
// name, so the client sees who served it. Run as `node http-responder.js NAME PORT`.
import { createServer } from 'node:http';

const [name = 'unnamed', port = '80'] = process.argv.slice(2);
createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
  response.end(`${name}\n`);
  request.resume();
}).listen(Number(port), () => process.stdout.write('ready\n'));
