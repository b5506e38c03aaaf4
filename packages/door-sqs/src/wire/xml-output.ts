/**
 * An action's output (JSON protocol shape) as the query protocol's XML, member by member as the
 * SQS API reference shows it: lists and maps are flattened (`<QueueUrl>` repeated,
 * `<Attribute><Name/><Value/></Attribute>`, `<MessageAttribute><Name/><Value>…</Value>
 * </MessageAttribute>`, `<Tag><Key/><Value/></Tag>`), batch entries are `<…ResultEntry>` and
 * `<BatchResultErrorEntry>`.
 */
const BATCH_ENTRY: Readonly<Record<string, string>> = {
  SendMessageBatch: 'SendMessageBatchResultEntry',
  DeleteMessageBatch: 'DeleteMessageBatchResultEntry',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibilityBatchResultEntry',
};
const LIST_ITEM: Readonly<Record<string, string>> = {
  QueueUrls: 'QueueUrl',
  queueUrls: 'QueueUrl',
  Messages: 'Message',
  Failed: 'BatchResultErrorEntry',
};
const MAPS: Readonly<Record<string, readonly [string, string]>> = {
  Attributes: ['Attribute', 'Name'],
  MessageAttributes: ['MessageAttribute', 'Name'],
  Tags: ['Tag', 'Key'],
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function element(name: string, value: unknown, action: string): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    const item = name === 'Successful' ? (BATCH_ENTRY[action] ?? name) : (LIST_ITEM[name] ?? name);
    return value.map((entry) => element(item, entry, action)).join('');
  }
  const map = MAPS[name];
  if (map !== undefined && typeof value === 'object') {
    const [item, key] = map;
    return Object.entries(value)
      .map(([k, v]) => `<${item}><${key}>${escapeXml(k)}</${key}>${element('Value', v, action)}</${item}>`)
      .join('');
  }
  if (typeof value === 'object') return `<${name}>${members(value as Record<string, unknown>, action)}</${name}>`;
  return `<${name}>${escapeXml(typeof value === 'string' ? value : JSON.stringify(value))}</${name}>`;
}

export function members(output: Readonly<Record<string, unknown>>, action: string): string {
  return Object.entries(output)
    .map(([name, value]) => element(name, value, action))
    .join('');
}
