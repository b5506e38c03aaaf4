import type { FrontDoor } from '@docket/server';
import { registerEmqDoor } from './plugin.ts';

/** The emq door's routes, for `buildApp({ frontDoors })`. */
export const emqDoor: FrontDoor = { name: 'emq', register: registerEmqDoor };
