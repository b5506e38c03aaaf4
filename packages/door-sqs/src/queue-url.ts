/**
 * Queue URLs and ARNs: `http://<host>/<account>/<name>` (the host the client reached this
 * listener by) and `arn:aws:sqs:<region>:<account>:<name>`. SQS queue names are a subset of
 * Docket's: 1 to 80 letters, digits, hyphens and underscores. A Docket queue with any other name
 * is not reachable through this door.
 */
import { sqsErrors } from './errors.ts';

/** A standard queue's name, or a FIFO queue's (ending in `.fifo`, 80 characters in all). */
export const SQS_QUEUE_NAME = /^(?:[A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\.fifo)$/;

export interface Identity {
  readonly accountId: string;
  readonly region: string;
}

export function queueUrl(origin: string, identity: Identity, name: string): string {
  return `${origin}/${identity.accountId}/${name}`;
}

export function queueArn(identity: Identity, name: string): string {
  return `arn:aws:sqs:${identity.region}:${identity.accountId}:${name}`;
}

/** The queue name of a URL of this door; NonExistentQueue for another account, InvalidAddress for no queue URL. */
export function queueNameOfUrl(url: string, identity: Identity): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    throw sqsErrors.invalidAddress(url);
  }
  const match = /^\/([^/]+)\/([^/]+)\/?$/.exec(path);
  if (match === null) throw sqsErrors.invalidAddress(url);
  const [, account, name] = match;
  if (account !== identity.accountId || name === undefined || !SQS_QUEUE_NAME.test(name)) {
    throw sqsErrors.nonExistentQueue();
  }
  return name;
}

/** The queue name of an ARN of this door; `what` names the parameter in the error. */
export function queueNameOfArn(arn: string, identity: Identity, what: string): string {
  const match = /^arn:aws:sqs:([^:]+):([^:]+):([^:]+)$/.exec(arn);
  if (match === null)
    throw sqsErrors.invalidParameterValue(`Value ${arn} for parameter ${what} is invalid. Reason: Invalid ARN.`);
  const [, region, account, name] = match;
  if (
    region !== identity.region ||
    account !== identity.accountId ||
    name === undefined ||
    !SQS_QUEUE_NAME.test(name)
  ) {
    throw sqsErrors.invalidParameterValue(
      `Value ${arn} for parameter ${what} is invalid. Reason: the queue is not on this endpoint.`,
    );
  }
  return name;
}
