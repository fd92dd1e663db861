import { createHmac } from 'node:crypto';
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
  it.each([
    ['a short secret', 's3cret'],
    ['an empty secret', ''],
    ['a 64-byte secret', 'k'.repeat(64)],
    ['a 65-byte secret (hashed first)', 'k'.repeat(65)],
    ['a non-ASCII secret', 'sécret-🔑'],
    ['a secret with control bytes', 'a\u0000b\u007f'],
  ])('is exactly HMAC-SHA256 with %s', (_name, secret) => {
    for (const partnerId of ['partner-a', 'pärtner-ü', '']) {
      for (const path of [
        '/',
        '/api/v1/shipments?x=1',
        `/${'x'.repeat(300)}`,
      ]) {
        const signed = { ...request, partnerId, path };
        const payload = `${signed.timestamp}.${partnerId}.${signed.keyId}.${signed.plan}.${signed.method}.${path}`;
        expect(signGatewayRequest(secret, signed)).toBe(
          `v1=${createHmac('sha256', secret).update(payload).digest('hex')}`,
        );
      }
    }
  });

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
