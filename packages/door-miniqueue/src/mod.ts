import type { FrontDoor } from '@docket/server';
import { registerMiniqueueDoor } from './plugin.ts';

/** The miniqueue door's HTTP routes, for `buildApp({ frontDoors })`: register it before the other doors. */
export const miniqueueDoor: FrontDoor = { name: 'miniqueue', register: registerMiniqueueDoor };
export { startRespDoor, type RespDoor, type RespDoorOptions } from './resp/door.ts';
