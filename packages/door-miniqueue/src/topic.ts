/**
 * miniqueue topics are one path segment (`[^/]+` after percent-decoding) and are Docket queue
 * names: a topic with an encoded `/` does not match miniqueue's routes (404, as in the
 * original), and one outside Docket's queue-name rule is refused with 400.
 */
import { isQueueName } from '@docket/protocol';

export type TopicCheck =
  | { readonly kind: 'ok'; readonly topic: string }
  | { readonly kind: 'no-route' }
  | { readonly kind: 'invalid'; readonly message: string };

export function checkTopic(raw: string): TopicCheck {
  if (raw === '' || raw.includes('/')) return { kind: 'no-route' };
  if (!isQueueName(raw)) {
    return {
      kind: 'invalid',
      message:
        'invalid topic value: expected 1 to 200 characters of A-Z, a-z, 0-9, ".", "_", ":" or "-", not only dots',
    };
  }
  return { kind: 'ok', topic: raw };
}
