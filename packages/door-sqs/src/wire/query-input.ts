/**
 * The query protocol's flattened parameters (`Attribute.1.Name=…`, `MessageAttribute.1.Value.
 * StringValue=…`, `SendMessageBatchRequestEntry.2.MessageBody=…`) in the JSON protocol's shape,
 * so one set of actions serves both. Numbered members become lists in index order; the
 * name/value lists SQS flattens maps into become maps; the integer parameters become numbers
 * (anything but digits stays a string, which the action refuses). A key that is both a value
 * and a structure, or a list with a non-numeric index, is refused.
 */
import { sqsErrors } from '../errors.ts';

type Node = { [key: string]: Node | string };

const INTEGERS = new Set([
  'DelaySeconds',
  'MaxNumberOfMessages',
  'VisibilityTimeout',
  'WaitTimeSeconds',
  'MaxResults',
  'MaxNumberOfMessagesPerSecond',
]);
const LISTS: Readonly<Record<string, string>> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
  TagKey: 'TagKeys',
  SendMessageBatchRequestEntry: 'Entries',
  DeleteMessageBatchRequestEntry: 'Entries',
  ChangeMessageVisibilityBatchRequestEntry: 'Entries',
};
/** Maps flattened as lists of key/value structures: [JSON member, key field, value field]. */
const MAPS: Readonly<Record<string, readonly [string, string, string]>> = {
  Attribute: ['Attributes', 'Name', 'Value'],
  MessageAttribute: ['MessageAttributes', 'Name', 'Value'],
  MessageSystemAttribute: ['MessageSystemAttributes', 'Name', 'Value'],
  Tag: ['Tags', 'Key', 'Value'],
};

function malformed(key: string): never {
  throw sqsErrors.malformedRequest(`The parameter ${key} is malformed.`);
}

function tree(params: URLSearchParams): Node {
  const root: Node = {};
  for (const [key, value] of params) {
    const parts = key.split('.');
    let node = root;
    parts.forEach((part, index) => {
      if (part === '' || part === '__proto__') malformed(key);
      const last = index === parts.length - 1;
      const existing = node[part];
      if (last) {
        if (existing !== undefined) malformed(key);
        node[part] = value;
        return;
      }
      if (typeof existing === 'string') malformed(key);
      const child: Node = existing ?? {};
      node[part] = child;
      node = child;
    });
  }
  return root;
}

function numbered(node: Node | string, key: string): (Node | string)[] {
  if (typeof node === 'string') malformed(key);
  const indexes = Object.keys(node);
  if (!indexes.every((index) => /^[1-9]\d{0,3}$/.test(index))) malformed(key);
  return indexes
    .map(Number)
    .sort((a, b) => a - b)
    .map((index) => node[String(index)] as Node | string);
}

function convert(node: Node, queueTags: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const list = LISTS[key];
    const map = MAPS[key];
    if (list !== undefined) {
      out[list] = numbered(value, key).map((item) => (typeof item === 'string' ? item : convert(item, false)));
    } else if (map !== undefined) {
      const [member, keyField, valueField] = map;
      const entries: Record<string, unknown> = {};
      for (const item of numbered(value, key)) {
        if (typeof item === 'string') malformed(key);
        const name = item[keyField];
        const inner = item[valueField];
        if (typeof name !== 'string') throw sqsErrors.missingParameter(`${key}.N.${keyField}`);
        if (name === '__proto__') malformed(key);
        entries[name] = inner === undefined ? undefined : typeof inner === 'string' ? inner : convert(inner, false);
      }
      out[member === 'Tags' && queueTags ? 'tags' : member] = entries;
    } else if (typeof value === 'string') {
      out[key] = INTEGERS.has(key) && /^-?\d{1,15}$/.test(value) ? Number(value) : value;
    } else {
      out[key] = convert(value, false);
    }
  }
  return out;
}

/** The action's input from its parameters (Action and Version excluded). */
export function queryInput(params: URLSearchParams, action: string): Record<string, unknown> {
  const rest = new URLSearchParams();
  for (const [key, value] of params) if (key !== 'Action' && key !== 'Version') rest.append(key, value);
  return convert(tree(rest), action === 'CreateQueue');
}
