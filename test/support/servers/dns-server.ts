// A real minimal DNS server over UDP for DNS_CHECK tests: answers from a table of names, with
// NXDOMAIN for others, or stays silent. Replies echo the question and use name compression.
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface TestDnsServer {
  readonly host: string;
  readonly port: number;
  readonly queries: number;
  close(): Promise<void>;
}

export interface DnsBehaviour {
  /** Names (lowercase, no trailing dot; "" = root) that have a record of any asked type. */
  readonly names: readonly string[];
  readonly silent?: boolean;
  /** Answer with a record owned by this name instead of the asked one (a wrong answer). */
  readonly answerOwner?: string;
}

function encodeName(name: string): Buffer {
  const labels = name === '' ? [] : name.split('.');
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
}

function readQuestion(query: Buffer): { name: string; end: number } | null {
  const labels: string[] = [];
  let offset = 12;
  while (offset < query.length && query[offset] !== 0) {
    const length = query[offset]!;
    labels.push(query.subarray(offset + 1, offset + 1 + length).toString('latin1'));
    offset += 1 + length;
  }
  return offset + 5 <= query.length ? { name: labels.join('.').toLowerCase(), end: offset + 5 } : null;
}

export function startDnsServer(behaviour: DnsBehaviour): Promise<TestDnsServer> {
  const socket = dgram.createSocket('udp4');
  let queries = 0;
  socket.on('message', (query, from) => {
    queries++;
    if (behaviour.silent || query.length < 12) return;
    const question = readQuestion(query);
    if (!question) return;
    const known = behaviour.names.includes(question.name);
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8180 | (known ? 0 : 3), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(known ? 1 : 0, 6);
    const questionBytes = query.subarray(12, question.end);
    const parts: Buffer[] = [header, questionBytes];
    if (known) {
      const type = query.readUInt16BE(question.end - 4);
      const owner = behaviour.answerOwner === undefined ? Buffer.from([0xc0, 12]) : encodeName(behaviour.answerOwner);
      const fixed = Buffer.alloc(10);
      fixed.writeUInt16BE(type, 0);
      fixed.writeUInt16BE(1, 2);
      fixed.writeUInt32BE(60, 4);
      fixed.writeUInt16BE(4, 8);
      parts.push(owner, fixed, Buffer.from([192, 0, 2, 1]));
    }
    socket.send(Buffer.concat(parts), from.port, from.address);
  });
  return new Promise((resolve) => {
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address() as AddressInfo;
      resolve({
        host: '127.0.0.1',
        port,
        get queries() {
          return queries;
        },
        close: () => new Promise<void>((done) => socket.close(() => done())),
      });
    });
  });
}
