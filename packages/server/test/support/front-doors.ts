/**
 * The front doors `docket serve` composes with the app, so the server's tests run against the
 * composed app (the server package itself imports no door).
 */
import { emqDoor } from '@docket/door-emq';
import { miniqueueDoor } from '@docket/door-miniqueue';
import { presqueDoor } from '@docket/door-presque';
import type { FrontDoor } from '../../src/mod.ts';

export const FRONT_DOORS: readonly FrontDoor[] = [miniqueueDoor, emqDoor, presqueDoor];
