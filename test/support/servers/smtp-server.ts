// A real minimal SMTP server for SMTP_CHECK tests: configurable greeting and HELO reply;
// records the commands it received.
import net from 'node:net';
import { listenOn, type RunningServer } from './listen.js';

export interface SmtpBehaviour {
  /** Full greeting line(s) without the final CRLF, e.g. "220 mail ESMTP" or "554 go away". */
  readonly greeting: string;
  readonly heloReply?: string;
  /** Accept the connection but never greet. */
  readonly silent?: boolean;
}

export interface TestSmtpServer extends RunningServer {
  readonly commands: string[];
}

export async function startSmtpServer(behaviour: SmtpBehaviour): Promise<TestSmtpServer> {
  const commands: string[] = [];
  const server = net.createServer((socket) => {
    socket.setEncoding('latin1');
    socket.on('error', () => undefined);
    if (!behaviour.silent) socket.write(`${behaviour.greeting}\r\n`);
    let buffered = '';
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\r\n')) >= 0) {
        const command = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 2);
        commands.push(command);
        if (/^HELO /i.test(command)) socket.write(`${behaviour.heloReply ?? '250 hello'}\r\n`);
        else if (/^QUIT/i.test(command)) socket.end('221 bye\r\n');
      }
    });
  });
  return { ...(await listenOn(server)), commands };
}
