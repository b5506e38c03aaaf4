import { expect, test } from 'vitest';
import { CloseNotice } from './close-notice.ts';

test('a listener runs once on fire, a detached one never, a late one at once', () => {
  const notice = new CloseNotice();
  const ran: string[] = [];
  notice.on(() => ran.push('kept'));
  const detach = notice.on(() => ran.push('detached'));
  detach();
  detach();
  expect(notice.listenerCount).toBe(1);
  notice.fire();
  notice.fire();
  expect(notice.listenerCount).toBe(0);
  notice.on(() => ran.push('late'));
  expect(ran).toEqual(['kept', 'late']);
  expect(notice.listenerCount).toBe(0);
});
