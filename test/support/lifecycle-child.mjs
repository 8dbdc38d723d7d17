// A stand-in child process for supervisor tests: runs the real child lifecycle (from dist/) and
// appends what happens to it to the file named by argv[2].
import { appendFileSync } from 'node:fs';
import { bindChildLifecycle } from '../../dist/daemon/child-lifecycle.js';

const log = (line) => appendFileSync(process.argv[2], `${process.pid} ${line}\n`);
log('started');
bindChildLifecycle(
  {
    stop: async (reason) => log(`stop ${reason}`),
    reload: async () => log('reload'),
    dumpState: () => log('dump-state'),
  },
  (error) => log(`error ${error}`),
);
setInterval(() => {}, 1000);
