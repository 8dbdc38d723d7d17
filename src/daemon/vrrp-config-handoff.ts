// The parent hands the config it has just parsed and validated to the VRRP child it starts first,
// over the IPC channel, so the child goes straight to its sockets instead of loading the config
// modules and parsing the file a second time (~60-100 ms of a cold start). Respawned children and
// reloads read the file themselves.
import { FIRST_START_REQUEST } from './supervisor.js';

/** The child argument saying "wait for the config message instead of reading the file". */
export const CONFIG_FROM_PARENT = '--config-from-parent';

export interface ConfigFromParent {
  readonly config: unknown;
}

/** In the child: resolves with the parent's config message (the first IPC message). */
export function receiveConfigFromParent(): Promise<ConfigFromParent> {
  return new Promise((resolve, reject) => {
    const onDisconnect = (): void => reject(new Error('the supervisor went away before sending the configuration'));
    process.once('disconnect', onDisconnect);
    process.once('message', (message) => {
      process.off('disconnect', onDisconnect);
      resolve(message as ConfigFromParent);
    });
    process.send?.(FIRST_START_REQUEST);
  });
}
