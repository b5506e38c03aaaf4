import { describe, expect, test } from 'vitest';
import { SqsError } from '../errors.ts';
import { queryInput } from './query-input.ts';

const input = (text: string, action = 'SendMessage'): Record<string, unknown> =>
  queryInput(new URLSearchParams(text), action);

describe('query protocol parameters in the JSON shape', () => {
  test('scalars, integers and message attributes', () => {
    expect(
      input(
        'Action=SendMessage&QueueUrl=u&MessageBody=b&DelaySeconds=5' +
          '&MessageAttribute.1.Name=n&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=v',
      ),
    ).toEqual({
      QueueUrl: 'u',
      MessageBody: 'b',
      DelaySeconds: 5,
      MessageAttributes: { n: { DataType: 'String', StringValue: 'v' } },
    });
  });

  test('attribute maps, name lists in index order, batch entries, and CreateQueue tags', () => {
    expect(
      input('Attribute.2.Name=B&Attribute.2.Value=2&Attribute.1.Name=A&Attribute.1.Value=1', 'SetQueueAttributes'),
    ).toEqual({
      Attributes: { A: '1', B: '2' },
    });
    expect(input('AttributeName.10=Z&AttributeName.2=B', 'ReceiveMessage')).toEqual({ AttributeNames: ['B', 'Z'] });
    expect(
      input(
        'DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=h',
        'DeleteMessageBatch',
      ),
    ).toEqual({ Entries: [{ Id: 'a', ReceiptHandle: 'h' }] });
    expect(input('QueueName=q&Tag.1.Key=k&Tag.1.Value=v', 'CreateQueue')).toEqual({ QueueName: 'q', tags: { k: 'v' } });
    expect(input('Tag.1.Key=k&Tag.1.Value=v', 'TagQueue')).toEqual({ Tags: { k: 'v' } });
  });

  test('a non-integer number stays a string for the action to refuse', () => {
    expect(input('MaxNumberOfMessages=ten', 'ReceiveMessage')).toEqual({ MaxNumberOfMessages: 'ten' });
  });

  test.each([
    ['a key that is both a value and a structure', 'Attribute=x&Attribute.1.Name=y'],
    ['a list with a non-numeric index', 'AttributeName.x=A'],
    ['an empty key segment', 'Attribute..Name=A'],
    ['a prototype key', '__proto__.x=1'],
    ['a repeated key', 'QueueUrl=a&QueueUrl=b'],
  ])('%s is refused with an SQS error', (_what, text) => {
    expect(() => input(text)).toThrow(SqsError);
  });

  test('a map entry without its key field is MissingParameter', () => {
    expect(() => input('Attribute.1.Value=1', 'SetQueueAttributes')).toThrow(/Attribute\.N\.Name/);
  });
});
