import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import {
  KeyEnvironment,
  MeteredCall,
  ProblemCode,
  ProductResolver,
  RateLimiter,
  VerifyRequestOptions,
  parseGatewayPath,
  verifyRequest,
} from '@portico/plugin-api-marketplace-node';
import { sendProblem } from './http';

/** Set by the edge: the product the call is for. */
export const PRODUCT_HEADER = 'x-portico-product';
/**
 * Set by the edge: `/gateway/{productId}/{path}?{query}`, the path and
 * query being the request target the upstream will receive (it is signed).
 * The same contract as the backend's `GET /v1/verify/auth-request`.
 */
export const ORIGINAL_URI_HEADER = 'x-original-uri';
/** Alternative to the path part of `X-Original-URI`: the upstream target itself. */
export const UPSTREAM_URI_HEADER = 'x-portico-upstream-uri';
/** Set by the edge: the partner's method. */
export const METHOD_HEADER = 'x-original-method';
/** Set by the edge to serve only one environment's keys on this route. */
export const ENVIRONMENT_HEADER = 'x-portico-environment';
/** On refusals: the problem code, for the edge to build its own answer. */
export const PROBLEM_HEADER = 'x-portico-problem';

export interface AuthRequestHandlerOptions {
  verifier: VerifyRequestOptions['verifier'];
  limiter: RateLimiter;
  meter: { record(call: MeteredCall): void };
  products: ProductResolver;
  signingSecret: string;
  environment?: KeyEnvironment;
  clientIp: (req: IncomingMessage) => string | undefined;
  logger: Pick<LoggerService, 'error'>;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function refuse(res: ServerResponse, code: ProblemCode): void {
  sendProblem(res, code, { [PROBLEM_HEADER]: code });
}

/**
 * NGINX `auth_request` (and Envoy `ext_authz` HTTP) endpoint on top of
 * `verifyRequest`: 200 with the `X-Portico-*` headers for the upstream and
 * the `RateLimit-*` headers for the partner, or the problem's status
 * (400/401/403/404/429/503) with `X-Portico-Problem: <code>`.
 *
 * The edge sends the partner's headers unchanged (the key in
 * `Authorization: Bearer` or `X-API-Key`), plus `X-Original-URI:
 * /gateway/{productId}/{target}` and `X-Original-Method` (optionally
 * `X-Portico-Product`, `X-Portico-Environment`), as for the backend's
 * `GET /v1/verify/auth-request`. The client address comes from
 * `X-Forwarded-For` behind `trustedProxies`. The edge proxies, so
 * the gateway never sees the upstream's status: admitted calls are metered
 * as 2xx with unknown (0) latency, and stay billable even if the upstream
 * fails.
 */
export function createAuthRequestHandler(
  options: AuthRequestHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { products, meter } = options;
  const verifyOptions: VerifyRequestOptions = {
    verifier: options.verifier,
    limiter: options.limiter,
    signingSecret: options.signingSecret,
    environment: options.environment,
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    req.resume();
    const originalUri = first(req.headers[ORIGINAL_URI_HEADER]);
    const at = originalUri?.indexOf('/gateway/') ?? -1;
    const original =
      originalUri !== undefined && at >= 0
        ? parseGatewayPath(originalUri.slice(at + '/gateway'.length))
        : undefined;
    if (at >= 0 && original === undefined) {
      refuse(res, 'invalid_path');
      return;
    }
    const productId = first(req.headers[PRODUCT_HEADER]) ?? original?.productId;
    if (!productId || products.resolve(productId) === undefined) {
      refuse(res, 'unknown_product');
      return;
    }
    const target =
      first(req.headers[UPSTREAM_URI_HEADER]) ??
      (original ? `${original.rest || '/'}${original.query}` : '/');
    if (
      !target.startsWith('/') ||
      parseGatewayPath(`/${productId}${target}`) === undefined
    ) {
      refuse(res, 'invalid_path');
      return;
    }
    const wanted = first(req.headers[ENVIRONMENT_HEADER]);
    const environment =
      options.environment ??
      (wanted === 'production' || wanted === 'sandbox' ? wanted : undefined);
    const result = await verifyRequest(
      { ...verifyOptions, environment },
      {
        headers: req.headers,
        productId,
        clientIp: options.clientIp(req),
        method: first(req.headers[METHOD_HEADER]) ?? 'GET',
        path: target,
      },
    );
    const headers = result.headers;
    if (result.status === 200 && result.key && result.decision) {
      meter.record({
        partnerId: result.key.partnerId,
        productId,
        environment: result.key.environment,
        at: result.decision.at,
        status: 200,
        latencyMs: 0,
        quotaCounted: result.decision.quotaCounted,
        hasQuota: result.decision.hasQuota,
      });
    } else if (result.body) {
      headers[PROBLEM_HEADER] = (
        JSON.parse(result.body) as { code: string }
      ).code;
    }
    res.writeHead(result.status, headers);
    res.end(result.body);
  }

  return (req, res) => {
    handle(req, res).catch(error => {
      options.logger.error(`auth_request failed: ${stringifyError(error)}`);
      if (!res.headersSent) refuse(res, 'service_unavailable');
      else res.destroy();
    });
  };
}
