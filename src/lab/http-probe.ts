// HTTP traffic from the client to a service on the VIP: runs http-prober.js in the client
// namespace and keeps the time and answering server of every successful request.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onLines } from './line-reader.js';
import type { LabProcesses } from './processes.js';

const here = dirname(fileURLToPath(import.meta.url));
export const HTTP_PROBER = join(here, 'http-prober.js');
export const HTTP_RESPONDER = join(here, 'http-responder.js');
export const HTTP_PROBE_INTERVAL_MS = 20;

export interface HttpAnswer {
  readonly time: number;
  readonly server: string;
}

export class HttpProbe {
  readonly answers: HttpAnswer[] = [];

  constructor(processes: LabProcesses, namespace: string, url: string) {
    const prober = processes.spawnIn(namespace, 'http-prober', process.execPath, [HTTP_PROBER, url, String(HTTP_PROBE_INTERVAL_MS)], ['ignore', 'pipe', 'ignore']);
    onLines(prober.child.stdout, (line) => {
      const [time, server] = line.split(' ');
      if (server !== undefined && Number.isFinite(Number(time))) this.answers.push({ time: Number(time), server });
    });
  }

  get times(): number[] {
    return this.answers.map((answer) => answer.time);
  }
}

/** Starts an HTTP responder answering `name` on `port` inside a namespace; resolves when it listens. */
export function startResponder(processes: LabProcesses, namespace: string, name: string, port: number): Promise<void> {
  const responder = processes.spawnIn(namespace, `http-${name}`, process.execPath, [HTTP_RESPONDER, name, String(port)], ['ignore', 'pipe', 'ignore']);
  return new Promise((resolve, reject) => {
    onLines(responder.child.stdout, (line) => line === 'ready' && resolve());
    void responder.exited.then((code) => reject(new Error(`HTTP responder ${name} exited (${code})`)));
  });
}
