import { makeOperation } from '../../__testUtils__/fixtures';
import { buildTryRequest, initialBody, initialParams } from './request';

const withHeader = makeOperation({
  parameters: [
    { name: 'id', in: 'path', required: true, example: 'PX-1' },
    { name: 'limit', in: 'query', required: true, type: 'integer', example: 5 },
    { name: 'X-Trace', in: 'header', required: false },
  ],
});
const withBody = makeOperation({
  operationId: 'createShipment',
  method: 'post',
  path: '/shipments',
  parameters: [],
  requestBody: { contentType: 'application/json', required: true },
});
const key = { kind: 'id', keyId: 'k-1' } as const;

describe('buildTryRequest', () => {
  it('sends typed-in values as strings, and headers only when filled', () => {
    const params: Record<string, string> = {
      ...initialParams(withHeader),
      'header:X-Trace': ' t-1 ',
    };
    expect(params['query:limit']).toBe('5');
    expect(
      buildTryRequest({
        productId: 'tracking',
        operation: withHeader,
        params,
        body: '',
        key,
      }),
    ).toEqual({
      productId: 'tracking',
      operationId: 'getShipment',
      pathParams: { id: 'PX-1' },
      query: { limit: '5' },
      headers: { 'X-Trace': 't-1' },
      keyId: 'k-1',
    });
  });

  it('names every missing required parameter', () => {
    expect(() =>
      buildTryRequest({
        productId: 'tracking',
        operation: withHeader,
        params: {},
        body: '',
        key,
      }),
    ).toThrow('Fill in the required parameters: id, limit');
  });

  it('parses a JSON body and says where it is broken', () => {
    expect(initialBody(withBody)).toBe('{}');
    const base = {
      productId: 'tracking',
      operation: withBody,
      params: {},
      key,
    };
    expect(buildTryRequest({ ...base, body: '{"to":"Berlin"}' }).body).toEqual({
      to: 'Berlin',
    });
    expect(() => buildTryRequest({ ...base, body: '{"to":' })).toThrow(
      /^The body is not valid JSON/,
    );
    expect(() => buildTryRequest({ ...base, body: ' ' })).toThrow(
      'This operation needs a request body',
    );
  });

  it('needs a key, and sends a pasted one trimmed', () => {
    const base = {
      productId: 'tracking',
      operation: withBody,
      params: {},
      body: '{}',
    };
    expect(() => buildTryRequest(base)).toThrow('Pick a sandbox key');
    expect(() =>
      buildTryRequest({ ...base, key: { kind: 'paste', key: ' ' } }),
    ).toThrow('Paste a sandbox key');
    expect(
      buildTryRequest({ ...base, key: { kind: 'paste', key: ' sk_test_x ' } }),
    ).toMatchObject({ key: 'sk_test_x' });
  });
});
