import { signGatewayRequest, verifyGatewaySignature } from './signature';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const request = {
  timestamp: NOW / 1000,
  partnerId: 'partner-a',
  keyId: 'AbCdEfGhIjKlMnOp',
  plan: 'starter',
  method: 'POST',
  path: '/api/v1/shipments?x=1',
};

function headersFor(secret: string, overrides: Record<string, string> = {}) {
  return {
    'x-portico-partner': request.partnerId,
    'x-portico-key-id': request.keyId,
    'x-portico-plan': request.plan,
    'x-portico-timestamp': String(request.timestamp),
    'x-portico-signature': signGatewayRequest(secret, request),
    ...overrides,
  };
}

describe('gateway signature', () => {
  it('signs timestamp.partner.keyId.plan.method.path with HMAC-SHA256', () => {
    expect(signGatewayRequest('s3cret', request)).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(
      verifyGatewaySignature({
        secret: 's3cret',
        headers: headersFor('s3cret'),
        method: 'post',
        path: request.path,
        now: NOW + 10_000,
      }),
    ).toEqual({
      ok: true,
      partnerId: 'partner-a',
      keyId: request.keyId,
      plan: 'starter',
      timestamp: request.timestamp,
    });
  });

  it('accepts any of several secrets, for rotation', () => {
    expect(
      verifyGatewaySignature({
        secret: ['new', 'old'],
        headers: headersFor('old'),
        method: 'POST',
        path: request.path,
        now: NOW,
      }).ok,
    ).toBe(true);
  });

  it.each([
    ['another path', { path: '/api/v1/admin' }, {}],
    ['another method', { method: 'DELETE' }, {}],
    ['a raised plan', {}, { 'x-portico-plan': 'enterprise' }],
    ['another partner', {}, { 'x-portico-partner': 'partner-b' }],
    [
      'another secret',
      {},
      { 'x-portico-signature': signGatewayRequest('other', request) },
    ],
  ])('refuses %s', (_name, input, headers) => {
    expect(
      verifyGatewaySignature({
        secret: 's3cret',
        headers: headersFor('s3cret', headers),
        method: 'POST',
        path: request.path,
        now: NOW,
        ...input,
      }),
    ).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses stale or missing signatures', () => {
    const base = { secret: 's3cret', method: 'POST', path: request.path };
    expect(
      verifyGatewaySignature({
        ...base,
        headers: headersFor('s3cret'),
        now: NOW + 301_000,
      }),
    ).toEqual({ ok: false, reason: 'expired' });
    expect(verifyGatewaySignature({ ...base, headers: {}, now: NOW })).toEqual({
      ok: false,
      reason: 'missing',
    });
  });
});
