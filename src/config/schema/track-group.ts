// track_group NAME { }: instances that static addresses, routes and rules follow.
import { type BlockTable, none, parsed } from './types.js';

export const TRACK_GROUP: BlockTable = {
  name: 'track_group',
  header: 'track_group NAME',
  keywords: [parsed('group', none(), 'Member instances, one per line', { lines: 'name' })],
};
