/**
 * The two wire formats SQS speaks, each with its own request decoding, answers and error shape:
 *
 * - AWS JSON 1.0: `POST /` with `X-Amz-Target: AmazonSQS.<Action>` and a JSON object body;
 *   answers `application/x-amz-json-1.0`; errors are `{"__type": "com.amazonaws.sqs#<Shape>",
 *   "message": …}` with `x-amzn-query-error: <query code>;Sender|Receiver`.
 * - Query: `Action=<Action>&…` form-encoded in a POST body (or the query string of a GET);
 *   answers `<ActionResponse>` XML; errors are `<ErrorResponse><Error><Type/><Code/><Message/>
 *   </Error><RequestId/></ErrorResponse>`.
 */
import { sqsErrors, type SqsError } from '../errors.ts';
import { escapeXml, members } from './xml-output.ts';
import { queryInput } from './query-input.ts';

const NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';
const JSON_TYPE = 'application/x-amz-json-1.0';
/** The actions whose query answer has no `<…Result>` element. */
const NO_RESULT = new Set([
  'ChangeMessageVisibility',
  'DeleteMessage',
  'DeleteQueue',
  'PurgeQueue',
  'SetQueueAttributes',
  'TagQueue',
  'UntagQueue',
]);

export type Protocol = 'json' | 'query';

export interface RawRequest {
  readonly method: string;
  /** The path and query string. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface DecodedRequest {
  readonly action: string;
  readonly input: Record<string, unknown>;
}

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

function header(request: RawRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Which protocol a request speaks: JSON when it names its target, the query protocol otherwise. */
export function protocolOf(request: RawRequest): Protocol {
  return header(request, 'x-amz-target') !== undefined ? 'json' : 'query';
}

function decodeJson(request: RawRequest): DecodedRequest {
  const target = header(request, 'x-amz-target') ?? '';
  const match = /^AmazonSQS\.([A-Za-z]+)$/.exec(target);
  if (match === null || match[1] === undefined) throw sqsErrors.invalidAction(target);
  if (request.method !== 'POST') throw sqsErrors.unsupportedProtocol();
  const text = request.body.toString('utf8');
  let input: unknown = {};
  if (text.trim() !== '') {
    try {
      input = JSON.parse(text);
    } catch {
      throw sqsErrors.malformedRequest('The request body is not valid JSON.');
    }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw sqsErrors.malformedRequest('The request body must be a JSON object.');
  }
  return { action: match[1], input: input as Record<string, unknown> };
}

function decodeQuery(request: RawRequest): DecodedRequest {
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  const contentType = header(request, 'content-type') ?? '';
  let params: URLSearchParams;
  if (request.method === 'POST' && request.body.length > 0) {
    if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded'))
      throw sqsErrors.unsupportedProtocol();
    params = new URLSearchParams(request.body.toString('utf8'));
  } else if (request.method === 'POST' || request.method === 'GET') {
    params = new URLSearchParams(query);
  } else {
    throw sqsErrors.unsupportedProtocol();
  }
  const action = params.get('Action');
  if (action === null || action === '') throw sqsErrors.missingParameter('Action');
  return { action, input: queryInput(params, action) };
}

export function decode(protocol: Protocol, request: RawRequest): DecodedRequest {
  return protocol === 'json' ? decodeJson(request) : decodeQuery(request);
}

export function success(
  protocol: Protocol,
  action: string,
  output: Readonly<Record<string, unknown>>,
  requestId: string,
): Answer {
  if (protocol === 'json') {
    return {
      status: 200,
      contentType: JSON_TYPE,
      headers: { 'x-amzn-requestid': requestId },
      body: JSON.stringify(output),
    };
  }
  const result = NO_RESULT.has(action) ? '' : `<${action}Result>${members(output, action)}</${action}Result>`;
  return {
    status: 200,
    contentType: 'text/xml',
    headers: { 'x-amzn-requestid': requestId },
    body: `<?xml version="1.0"?><${action}Response xmlns="${NAMESPACE}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

export function failure(protocol: Protocol, error: SqsError, requestId: string): Answer {
  const fault = error.senderFault ? 'Sender' : 'Receiver';
  if (protocol === 'json') {
    return {
      status: error.status,
      contentType: JSON_TYPE,
      headers: { 'x-amzn-requestid': requestId, 'x-amzn-query-error': `${error.code};${fault}` },
      body: JSON.stringify({ __type: `com.amazonaws.sqs#${error.shape}`, message: error.message }),
    };
  }
  return {
    status: error.status,
    contentType: 'text/xml',
    headers: { 'x-amzn-requestid': requestId },
    body: `<?xml version="1.0"?><ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${fault}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}
