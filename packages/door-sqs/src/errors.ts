/**
 * SQS's errors, as the real service names them: each has its query-protocol code (the
 * `<Code>` of an `<ErrorResponse>`, and the first half of the JSON protocol's
 * `x-amzn-query-error` header), its JSON protocol shape name (`__type` after
 * `com.amazonaws.sqs#`), its HTTP status and whether the sender is at fault. Every refusal the
 * door makes is one of these; both wire formats render them (wire/json-protocol.ts,
 * wire/query-protocol.ts).
 */
export class SqsError extends Error {
  constructor(
    /** The query protocol's error code, e.g. `AWS.SimpleQueueService.NonExistentQueue`. */
    readonly code: string,
    /** The JSON protocol's shape name, e.g. `QueueDoesNotExist`. */
    readonly shape: string,
    message: string,
    readonly status = 400,
    readonly senderFault = true,
  ) {
    super(message);
    this.name = 'SqsError';
  }
}

/** An error whose query code and JSON shape name are the same word. */
function plain(code: string, message: string, status = 400): SqsError {
  return new SqsError(code, code, message, status);
}

export const sqsErrors = {
  nonExistentQueue: () =>
    new SqsError('AWS.SimpleQueueService.NonExistentQueue', 'QueueDoesNotExist', 'The specified queue does not exist.'),
  queueNameExists: (name: string) =>
    new SqsError(
      'QueueAlreadyExists',
      'QueueNameExists',
      `A queue already exists with the same name and a different value for attribute(s): ${name}`,
    ),
  invalidAddress: (url: string) => plain('InvalidAddress', `The address ${url} is not valid for this endpoint.`),
  invalidAttributeName: (name: string) => plain('InvalidAttributeName', `Unknown Attribute ${name}.`),
  invalidAttributeValue: (message: string) => plain('InvalidAttributeValue', message),
  invalidParameterValue: (message: string) => plain('InvalidParameterValue', message),
  missingParameter: (name: string) => plain('MissingParameter', `The request must contain the parameter ${name}.`),
  invalidAction: (action: string) =>
    plain(
      'InvalidAction',
      `The action or operation requested is invalid. Verify that the action is typed correctly: ${action}`,
    ),
  malformedRequest: (message: string) => plain('MalformedQueryString', message),
  unsupportedProtocol: () =>
    plain('InvalidRequest', 'Send AWS JSON 1.0 (X-Amz-Target: AmazonSQS.<Action>) or a form-encoded Action=<Action>.'),
  receiptHandleIsInvalid: (handle: string) =>
    plain('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`),
  messageNotInflight: () =>
    new SqsError('AWS.SimpleQueueService.MessageNotInflight', 'MessageNotInflight', 'The message is not in flight.'),
  notAvailableForVisibilityChange: (handle: string) =>
    plain(
      'InvalidParameterValue',
      `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    ),
  emptyBatchRequest: () =>
    new SqsError(
      'AWS.SimpleQueueService.EmptyBatchRequest',
      'EmptyBatchRequest',
      'There should be at least one entry in the request.',
    ),
  tooManyEntriesInBatchRequest: (count: number) =>
    new SqsError(
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${count}.`,
    ),
  batchEntryIdsNotDistinct: (id: string) =>
    new SqsError('AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 'BatchEntryIdsNotDistinct', `Id ${id} repeated.`),
  invalidBatchEntryId: (id: string) =>
    new SqsError(
      'AWS.SimpleQueueService.InvalidBatchEntryId',
      'InvalidBatchEntryId',
      `A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long: ${id}`,
    ),
  batchRequestTooLong: (bytes: number, max: number) =>
    new SqsError(
      'AWS.SimpleQueueService.BatchRequestTooLong',
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${max} bytes. You have sent ${bytes} bytes.`,
    ),
  invalidMessageContents: (message: string) => plain('InvalidMessageContents', message),
  resourceNotFound: (message: string) => plain('ResourceNotFoundException', message),
  requestTooLarge: (max: number) =>
    plain('RequestEntityTooLarge', `The request body is larger than ${max} bytes.`, 413),
  overLimit: (message: string) => new SqsError('OverLimit', 'OverLimit', message, 403),
  missingAuthenticationToken: () =>
    plain(
      'MissingAuthenticationToken',
      'The request must contain either a valid (registered) AWS access key ID or X.509 certificate.',
      403,
    ),
  invalidClientTokenId: () =>
    plain('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
  incompleteSignature: (message: string) => plain('IncompleteSignature', message),
  signatureDoesNotMatch: () =>
    plain(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      403,
    ),
  requestExpired: (message: string) => plain('RequestExpired', message),
  accessDenied: (message: string) => plain('AccessDenied', message, 403),
  serviceUnavailable: () =>
    new SqsError(
      'ServiceUnavailable',
      'ServiceUnavailable',
      'The request has failed due to a temporary failure of the server.',
      503,
      false,
    ),
  internal: () =>
    new SqsError(
      'InternalFailure',
      'InternalFailure',
      'The request processing has failed because of an unknown error.',
      500,
      false,
    ),
} as const;
