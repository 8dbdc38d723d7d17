// The lab client's HTTP traffic: a GET to the URL every INTERVAL ms (each with a short timeout),
// printing "<epoch ms> <answer>" for every success. Run as `node http-prober.js URL INTERVAL_MS`.
import { request } from 'node:http';

const [url = 'http://127.0.0.1/', interval = '20'] = process.argv.slice(2);
const timeoutMs = 250;

function probe(): void {
  const req = request(url, { agent: false, timeout: timeoutMs }, (response) => {
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (body += chunk));
    response.on('end', () => process.stdout.write(`${performance.timeOrigin + performance.now()} ${body.trim()}\n`));
  });
  req.on('timeout', () => req.destroy());
  req.on('error', () => undefined);
  req.end();
}
setInterval(probe, Number(interval));
process.stdout.write('ready\n');
