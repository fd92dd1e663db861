import { parseGatewayPath, upstreamPath } from './paths';

describe('parseGatewayPath', () => {
  it.each([
    ['/tracking', { productId: 'tracking', rest: '', query: '' }],
    ['/tracking/', { productId: 'tracking', rest: '/', query: '' }],
    [
      '/tracking/v1/shipments/42?x=1&y=..',
      { productId: 'tracking', rest: '/v1/shipments/42', query: '?x=1&y=..' },
    ],
    [
      '/tracking/files/a.b/..c/%20x',
      { productId: 'tracking', rest: '/files/a.b/..c/%20x', query: '' },
    ],
    ['/tracking/...', { productId: 'tracking', rest: '/...', query: '' }],
  ])('splits %s', (target, expected) => {
    expect(parseGatewayPath(target)).toEqual(expected);
  });

  it.each([
    '/tracking/../admin',
    '/tracking/..',
    '/tracking/./x',
    '/tracking/%2e%2e/admin',
    '/tracking/%2E%2e/admin',
    '/tracking/.%2e/admin',
    '/tracking/%252e%252e/admin',
    '/tracking/..;/admin',
    '/tracking//evil.example/x',
    '//evil.example/tracking',
    '/tracking/a\\..\\b',
    '/tracking/%5c..%5cadmin',
    '/tracking/%2fetc%2fpasswd',
    '/tracking/a%00b',
    '/..',
    '/../tracking',
    '/tracking/a b',
    '/tracking/\u00e9',
    'http://evil.example/tracking',
    '*',
    '',
    '/',
    '/-bad/x',
    '/%74racking/x',
  ])('refuses %j', target => {
    expect(parseGatewayPath(target)).toBeUndefined();
  });

  it('joins below the base path only', () => {
    const parsed = parseGatewayPath('/tracking/v1/x?q=1')!;
    expect(upstreamPath('/api', parsed)).toBe('/api/v1/x?q=1');
    expect(upstreamPath('', parsed)).toBe('/v1/x?q=1');
    expect(upstreamPath('', parseGatewayPath('/tracking?q=1')!)).toBe('/?q=1');
    expect(upstreamPath('/api', parseGatewayPath('/tracking')!)).toBe('/api');
  });
});
