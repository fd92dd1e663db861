import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { AuthService, HttpAuthService } from '@backstage/backend-plugin-api';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import {
  KeyEnvironment,
  PROBLEMS,
  PROBLEM_CONTENT_TYPE,
  parseGatewayPath,
  problemBody,
} from '@portico/plugin-api-marketplace-node';
import type { VerifyCallResult } from '../gateway/GatewayService';
import { GatewayService } from '../gateway/GatewayService';
import { ApiRouter } from './ApiRouter';

/** The identity headers of a recognised key, also on refusals (e.g. 429). */
function identityHeaders(result: VerifyCallResult): Record<string, string> {
  const verdict = result.verdict;
  if (!verdict?.ok) return {};
  return {
    'x-portico-partner': verdict.partnerId,
    'x-portico-key-id': verdict.keyId,
    'x-portico-plan': verdict.plan.plan,
  };
}

function problemCode(result: VerifyCallResult): string | undefined {
  if (result.status === 200 || !result.body) return undefined;
  try {
    return JSON.parse(result.body).code;
  } catch {
    return undefined;
  }
}

/** The gateway's own credential, when the partner's key occupies Authorization. */
async function requireGatewayToken(auth: AuthService, req: Request) {
  const token = req.header('x-portico-gateway-token');
  if (!token) {
    throw new AuthenticationError(
      'X-Portico-Gateway-Token with a Backstage service token is required',
    );
  }
  let credentials;
  try {
    credentials = await auth.authenticate(token);
  } catch (error) {
    throw new AuthenticationError('Invalid X-Portico-Gateway-Token', error);
  }
  if (!auth.isPrincipal(credentials, 'service')) {
    throw new NotAllowedError(
      'Only gateways (service principals) may verify calls',
    );
  }
}

/**
 * `/gateway/{productId}/rest?query` anywhere in an original URI: the product
 * and the target below it, with the gateway's own path checks.
 */
function fromOriginalUri(uri: string | undefined) {
  if (!uri) return undefined;
  const at = uri.indexOf('/gateway/');
  if (at < 0) return undefined;
  return parseGatewayPath(uri.slice(at + '/gateway'.length));
}

/** Verify mode for existing gateways: JSON, and NGINX auth_request style. */
export function bindVerifyRoutes(
  router: ApiRouter,
  deps: {
    auth: AuthService;
    httpAuth: HttpAuthService;
    gateway: GatewayService;
  },
) {
  const { auth, httpAuth, gateway } = deps;

  router.post('/v1/verify', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const { key, productId, environment, clientIp, method, path } = req.body;
    const result = await gateway.verifyCall({
      headers: { 'x-api-key': key },
      productId,
      environment,
      clientIp,
      method,
      path,
    });
    const allowed = result.status === 200;
    const verdict = result.verdict?.ok ? result.verdict : undefined;
    const code = problemCode(result);
    res.json({
      allowed,
      status: result.status,
      ...(code ? { code } : {}),
      ...(verdict
        ? {
            partnerId: verdict.partnerId,
            keyId: verdict.keyId,
            plan: verdict.plan.plan,
            environment: verdict.environment,
          }
        : {}),
      ...(result.decision
        ? {
            rateLimit: {
              limit: result.decision.limit,
              remaining: result.decision.remaining,
              reset: result.decision.resetSeconds,
            },
          }
        : {}),
      ...(result.decision?.retryAfterSeconds !== undefined
        ? { retryAfter: result.decision.retryAfterSeconds }
        : {}),
      ...(allowed
        ? {
            upstreamHeaders: Object.fromEntries(
              Object.entries(result.headers).filter(([name]) =>
                name.startsWith('x-portico-'),
              ),
            ),
          }
        : {}),
    });
  });

  router.get('/v1/verify/auth-request', async (req, res) => {
    await requireGatewayToken(auth, req);
    const original = fromOriginalUri(req.header('x-original-uri'));
    const productId = req.header('x-portico-product') ?? original?.productId;
    if (!productId) {
      // No product named: the edge's configuration, not the key, is wrong.
      const requestId = randomUUID();
      res
        .status(PROBLEMS.invalid_path.status)
        .set({
          'content-type': PROBLEM_CONTENT_TYPE,
          'cache-control': 'no-store',
          'x-portico-request-id': requestId,
          'x-portico-problem': 'invalid_path',
        })
        .end(problemBody('invalid_path', requestId));
      return;
    }
    const environment = req.header('x-portico-environment') as
      | KeyEnvironment
      | undefined;
    const result = await gateway.verifyCall({
      headers: {
        authorization: req.headers.authorization,
        'x-api-key': req.headers['x-api-key'],
      },
      productId,
      environment,
      clientIp: req.header('x-real-ip'),
      method: req.header('x-original-method') ?? 'GET',
      path: original ? `${original.rest || '/'}${original.query}` : '/',
    });
    res
      .status(result.status)
      .set({
        ...result.headers,
        ...identityHeaders(result),
        ...problemCodeHeader(result.body),
      })
      .end(result.body ?? '');
  });
}

/**
 * NGINX's auth_request sees only the status and headers of a refusal, so its
 * stable code travels as `X-Portico-Problem` too (as packages/gateway does).
 */
function problemCodeHeader(body: string | undefined): Record<string, string> {
  if (!body) return {};
  try {
    const code = JSON.parse(body)?.code;
    return typeof code === 'string' ? { 'x-portico-problem': code } : {};
  } catch {
    return {};
  }
}
