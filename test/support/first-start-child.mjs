// A stand-in child for the first-start handoff tests: with --config-from-parent it asks the
// supervisor for its first-start message (the real vrrp-config-handoff from dist/) and appends what
// it got to the file named by argv[2]; without, it appends "plain". Then it idles until killed.
import { appendFileSync } from 'node:fs';
import { CONFIG_FROM_PARENT, receiveConfigFromParent } from '../../dist/daemon/vrrp-config-handoff.js';

const log = (line) => appendFileSync(process.argv[2], `${process.pid} ${line}\n`);
if (process.argv.includes(CONFIG_FROM_PARENT)) log(`got ${JSON.stringify(await receiveConfigFromParent())}`);
else log('plain');
setInterval(() => {}, 1000);
