// A stand-in child process for supervisor tests: runs the real child lifecycle (from dist/) and
// appends what happens to it to the file named by argv[2].
import { appendFileSync } from 'node:fs';
import { bindChildLifecycle } from '../../dist/daemon/child-lifecycle.js';

const log = (line) => appendFileSync(process.argv[2], `${process.pid} ${line}\n`);
// 'started' is written only once the handlers are bound: a test that signals the child as soon
// as it reads 'started' would otherwise kill it with the default action.
bindChildLifecycle(
  {
    stop: async (reason) => log(`stop ${reason}`),
    reload: async () => log('reload'),
    dumpState: () => log('dump-state'),
  },
  (error) => log(`error ${error}`),
);
log('started');
setInterval(() => {}, 1000);
