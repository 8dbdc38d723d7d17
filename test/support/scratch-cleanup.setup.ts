// Setup file of the privileged tiers: removes the scratch directories (configs, pid files, logs)
// a test file made with vrrp-lab's scratchDir(), after the file's own afterAll hooks stopped its
// daemons (vitest runs after-hooks in reverse order, so this one runs last). Without it every
// run left hundreds of /tmp/ktsvr-* directories behind.
import { afterAll } from 'vitest';
import { removeScratchDirs } from './vrrp-lab.js';

afterAll(() => removeScratchDirs());
