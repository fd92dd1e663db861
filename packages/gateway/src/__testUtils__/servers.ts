import type { IncomingHttpHeaders } from 'node:http';
import { listen } from '@portico/plugin-api-marketplace-node/testUtils';

/** An upstream that records what it saw; `/slow/{ms}` answers after a delay. */
export async function recordingUpstream() {
  const seen: Array<{
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
  }> = [];
  const server = await listen((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers });
      const slow = /\/slow\/(\d+)/.exec(req.url!);
      const status = /\/status\/(\d{3})/.exec(req.url!);
      const answer = () => {
        res.writeHead(status ? Number(status[1]) : 200, {
          'content-type': 'application/json',
        });
        res.end(JSON.stringify({ ok: true, url: req.url }));
      };
      if (slow) setTimeout(answer, Number(slow[1]));
      else answer();
    });
  });
  return { ...server, seen };
}

export const TEST_PRICING = {
  free: { monthlyQuota: 1000, ratePerSecond: 2 },
  starter: {
    monthlyPrice: 49,
    includedCalls: 100_000,
    overagePer1000: 0.5,
    ratePerSecond: 1000,
  },
  enterprise: {
    monthlyPrice: 499,
    includedCalls: 10_000_000,
    overagePer1000: 0.2,
    ratePerSecond: 100_000,
  },
};

/**
 * The backend's `GET /api/api-marketplace/v1/products` (+ `/{id}`), behind
 * a static service token, with products the test can change.
 */
export async function fakeBackend(options: {
  token: string;
  products: Array<{
    id: string;
    baseUrl: string;
    sandboxUrl?: string;
    specHash?: string;
  }>;
}) {
  const products = options.products.map(p => ({
    category: 'logistics',
    status: 'active',
    tags: [],
    pricing: TEST_PRICING,
    entityRef: `api:default/${p.id}`,
    title: p.id,
    description: '',
    version: '1.0.0',
    specVersion: '3.0.3',
    specHash: 'x',
    operationCount: 1,
    updatedAt: new Date().toISOString(),
    ...p,
  }));
  const state = { products, calls: 0, down: false };
  const server = await listen((req, res) => {
    state.calls++;
    if (state.down) {
      res.writeHead(503).end();
      return;
    }
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":{"name":"AuthenticationError"}}');
      return;
    }
    const one = /^\/api\/api-marketplace\/v1\/products\/([^/?]+)$/.exec(
      req.url!,
    );
    res.setHeader('content-type', 'application/json');
    if (req.url === '/api/api-marketplace/v1/products') {
      res.end(JSON.stringify({ items: state.products }));
    } else if (one) {
      const product = state.products.find(p => p.id === one[1]);
      if (product) res.end(JSON.stringify(product));
      else res.writeHead(404).end('{"error":{"name":"NotFoundError"}}');
    } else {
      res.writeHead(404).end('{}');
    }
  });
  return { ...server, state };
}
