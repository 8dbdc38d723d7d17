// Runs a real Supervisor (from dist/) over lifecycle-child.mjs children, as the daemon's parent
// would, so tests can kill the parent itself. argv: LOGFILE ROLES(comma list) [respawn|norespawn]
import { Supervisor } from '../../dist/daemon/supervisor.js';
import { silentLogger } from '../../dist/common/logger.js';
import { fileURLToPath } from 'node:url';

const [logFile, roles, respawn] = process.argv.slice(2);
const child = fileURLToPath(new URL('./lifecycle-child.mjs', import.meta.url));
const supervisor = new Supervisor({
  children: roles.split(',').map((role) => ({ role, modulePath: child, args: [logFile] })),
  respawn: respawn !== 'norespawn',
  logger: silentLogger(),
  policy: { initialDelayMs: 50, maxDelayMs: 400, stableAfterMs: 10_000 },
});
supervisor.start();
for (const signal of ['SIGHUP', 'SIGUSR1']) process.on(signal, () => supervisor.forward(signal));
process.on('SIGTERM', () => supervisor.stop().then(() => process.exit(0)));
process.on('SIGUSR2', () => process.stdout.write(`${JSON.stringify(supervisor.pids())}\n`));
