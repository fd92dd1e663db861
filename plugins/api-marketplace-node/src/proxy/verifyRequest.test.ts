import { InMemoryRateLimiter } from '../limit/InMemoryRateLimiter';
import { makeKey } from '../testUtils/fixtures';
import { InMemoryKeyLookup } from '../verify/InMemoryKeyLookup';
import { KeyVerifier } from '../verify/KeyVerifier';
import type { VerifiableKey } from '../verify/types';
import { verifyGatewaySignature } from './signature';
import { verifyRequest } from './verifyRequest';

const NOW = Math.floor(Date.now() / 60_000) * 60_000;

function setup(overrides: Partial<VerifiableKey> = {}) {
  const { key, record } = makeKey(overrides);
  const options = {
    verifier: new KeyVerifier({ lookup: new InMemoryKeyLookup([record]) }),
    limiter: new InMemoryRateLimiter(),
    signingSecret: 'edge-secret',
    now: () => NOW,
  };
  return { key, record, options };
}

describe('verifyRequest (external gateway mode)', () => {
  it('answers 200 with the X-Portico-* headers to forward', async () => {
    const { key, record, options } = setup();
    const result = await verifyRequest(options, {
      headers: { 'x-api-key': key },
      productId: 'tracking',
      clientIp: '203.0.113.9',
      method: 'get',
      path: '/v1/shipments?x=1',
    });
    expect(result.status).toBe(200);
    expect(result.body).toBeUndefined();
    expect(result.headers).toMatchObject({
      'x-portico-partner': 'partner-a',
      'x-portico-key-id': record.id,
      'x-portico-plan': 'starter',
      'ratelimit-limit': '1000',
      'ratelimit-remaining': '999',
    });
    expect(
      verifyGatewaySignature({
        secret: 'edge-secret',
        headers: result.headers,
        method: 'GET',
        path: '/v1/shipments?x=1',
      }).ok,
    ).toBe(true);
  });

  it.each<[string, Partial<VerifiableKey>, boolean, number, string]>([
    ['a missing key', {}, false, 401, 'missing_key'],
    [
      'a key of another product',
      { productIds: ['routing'] },
      true,
      403,
      'not_scoped',
    ],
    [
      'a suspended partner',
      { partnerStatus: 'suspended' },
      true,
      403,
      'partner_suspended',
    ],
  ])(
    'answers %s with a problem',
    async (_name, overrides, sendKey, status, code) => {
      const { key, options } = setup(overrides);
      const result = await verifyRequest(options, {
        headers: sendKey ? { authorization: `Bearer ${key}` } : {},
        productId: 'tracking',
        method: 'GET',
      });
      expect(result.status).toBe(status);
      expect(result.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(result.body!)).toMatchObject({ code, status });
      expect(result.headers['x-portico-partner']).toBeUndefined();
    },
  );

  it('answers 429 with Retry-After once the rate is used up', async () => {
    const { key, options } = setup({
      plans: { tracking: { plan: 'free', ratePerSecond: 1 } },
    });
    const input = {
      headers: { 'x-api-key': key },
      productId: 'tracking',
      method: 'GET',
    };
    expect((await verifyRequest(options, input)).status).toBe(200);
    const limited = await verifyRequest(options, input);
    expect(limited.status).toBe(429);
    expect(limited.headers).toMatchObject({
      'retry-after': '1',
      'ratelimit-limit': '1',
      'ratelimit-remaining': '0',
    });
    expect(JSON.parse(limited.body!).code).toBe('rate_limited');
  });

  it('answers 429 quota_exceeded with the rate limit headers and Retry-After', async () => {
    const { key, options } = setup({
      plans: {
        tracking: { plan: 'free', ratePerSecond: 100, hardMonthlyQuota: 1 },
      },
    });
    const input = {
      headers: { 'x-api-key': key },
      productId: 'tracking',
      method: 'GET',
    };
    expect((await verifyRequest(options, input)).status).toBe(200);
    const refused = await verifyRequest(options, input);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body!).code).toBe('quota_exceeded');
    const now = new Date(NOW);
    const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    const untilReset = String(Math.ceil((monthEnd - NOW) / 1000));
    expect(refused.headers).toMatchObject({
      'ratelimit-limit': '1',
      'ratelimit-remaining': '0',
      'ratelimit-reset': untilReset,
      'retry-after': untilReset,
    });
  });
});
