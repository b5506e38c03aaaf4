import type { FrontDoor } from '@docket/server';
import { registerPresqueDoor } from './plugin.ts';

/** The presque door's routes, for `buildApp({ frontDoors })`. */
export const presqueDoor: FrontDoor = { name: 'presque', register: registerPresqueDoor };
