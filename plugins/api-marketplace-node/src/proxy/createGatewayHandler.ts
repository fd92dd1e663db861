import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KeyEnvironment } from '../keys';
import type { LimitDecision, RateLimiter } from '../limit';
import type { MeteredCall } from '../meter';
import type { VerifiedKey, VerifyInput, VerifyResult } from '../verify';
import { admissionOf } from './admission';
import { upstreamRequestHeaders } from './headers';
import {
  GatewayPath,
  parseGatewayPath,
  parseMountedGatewayPath,
  upstreamPath,
} from './paths';
import { rateLimitHeaders, sendProblem } from './respond';
import { signGatewayRequest } from './signature';
import type { ProductResolver } from './types';
import { CLIENT_CLOSED_STATUS, UpstreamExchange } from './UpstreamExchange';
import {
  DEFAULT_UPSTREAM_TIMEOUTS,
  UpstreamPools,
  UpstreamTimeouts,
} from './upstreams';

export interface GatewayHandlerOptions {
  /**
   * `KeyVerifier`, or any object with `verify`. With `verifyCached` (as
   * `KeyVerifier` has) a call whose key is cached is verified without
   * waiting for a promise.
   */
  verifier: {
    verify(input: VerifyInput): Promise<VerifyResult>;
    verifyCached?(input: VerifyInput): VerifyResult | undefined;
  };
  limiter: RateLimiter;
  /** Without it calls are not metered (the limiter still counts admissions). */
  meter?: { record(call: MeteredCall): void };
  products: ProductResolver;
  /** HMAC key of `X-Portico-Signature`, shared with the upstreams. */
  signingSecret: string;
  /** Serve only this environment's keys (e.g. a production-only listener). */
  environment?: KeyEnvironment;
  /** Default: the socket's address. Behind a trusted proxy, read X-Forwarded-For here. */
  clientIp?: (req: IncomingMessage) => string | undefined;
  timeouts?: Partial<UpstreamTimeouts>;
  /** Connections per upstream origin; default unlimited. */
  connectionsPerOrigin?: number;
  /** Clock of the limiter decisions; default the limiter's. */
  now?: () => number;
  logger?: Pick<LoggerService, 'warn' | 'error'>;
  /**
   * For metrics: called as each call is forwarded, with the milliseconds the
   * gateway spent before it (verification, admission, signing).
   */
  onForward?: (overheadMs: number) => void;
}

/** A plain Node request listener, usable from express or `http.createServer`. */
export interface GatewayHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Closes the upstream connection pools. */
  close(): Promise<void>;
}

function defaultClientIp(req: IncomingMessage): string | undefined {
  return req.socket.remoteAddress;
}

/** The product id of a route like express's `/gateway/:productId`. */
function mountedProductId(req: IncomingMessage): string | undefined {
  const params = (req as { params?: Record<string, unknown> }).params;
  const productId = params?.productId;
  return typeof productId === 'string' ? productId : undefined;
}

/**
 * The data-plane request handler for `/{productId}/{path}`: verify the key
 * (in-process cache), admit the call (one Redis round trip), proxy it with
 * streaming bodies, meter it (in memory, flushed in the background).
 * Mount it before any body parser: it streams the raw request body.
 *
 * Mounted under a route that names the product (express
 * `router.use('/gateway/:productId', handler)`), the product comes from the
 * route and the path below it from `req.url`; mounted anywhere else
 * (`router.use('/gateway', handler)`, `http.createServer(handler)`), both
 * come from `req.url`.
 */
export function createGatewayHandler(
  options: GatewayHandlerOptions,
): GatewayHandler {
  const { verifier, limiter, meter, products, signingSecret, logger } = options;
  const timeouts = { ...DEFAULT_UPSTREAM_TIMEOUTS, ...options.timeouts };
  const clientIpOf = options.clientIp ?? defaultClientIp;
  const now = options.now;
  const pools = new UpstreamPools({
    connectTimeoutMs: timeouts.connectMs,
    connections: options.connectionsPerOrigin,
  });

  function proxy(
    req: IncomingMessage,
    res: ServerResponse,
    key: VerifiedKey,
    decision: LimitDecision,
    baseUrl: string,
    parsed: GatewayPath,
    clientIp: string | undefined,
    requestId: string,
    started: number,
    responseHeaders: Record<string, string>,
  ): void {
    const target = pools.target(baseUrl);
    const method = req.method ?? 'GET';
    const upstreamTarget = upstreamPath(target.basePath, parsed);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = upstreamRequestHeaders(req.headers, target.host, clientIp, {
      'x-portico-partner': key.partnerId,
      'x-portico-key-id': key.keyId,
      'x-portico-plan': key.plan.plan,
      'x-portico-request-id': requestId,
      'x-portico-timestamp': String(timestamp),
      'x-portico-signature': signGatewayRequest(signingSecret, {
        timestamp,
        partnerId: key.partnerId,
        keyId: key.keyId,
        plan: key.plan.plan,
        method,
        path: upstreamTarget,
      }),
    });
    const hasBody =
      req.headers['content-length'] !== undefined
        ? req.headers['content-length'] !== '0'
        : req.headers['transfer-encoding'] !== undefined;

    const exchange = new UpstreamExchange(
      res,
      responseHeaders,
      requestId,
      (status, error) => {
        if (error && status !== CLIENT_CLOSED_STATUS) {
          logger?.warn(
            `Gateway request ${requestId} to product ${key.productId} failed: ${
              (error as { code?: string }).code ?? error
            }`,
          );
        }
        meter?.record({
          partnerId: key.partnerId,
          productId: key.productId,
          environment: key.environment,
          at: decision.at,
          status,
          latencyMs: performance.now() - started,
          quotaCounted: decision.quotaCounted,
          hasQuota: decision.hasQuota,
        });
      },
    );
    options.onForward?.(performance.now() - started);
    if (!exchange.clientConnected) {
      exchange.abandon();
      return;
    }
    target.pool.dispatch(
      {
        path: upstreamTarget,
        method: method as 'GET',
        headers,
        body: hasBody ? req : null,
        headersTimeout: timeouts.headersMs,
        bodyTimeout: timeouts.bodyMs,
      },
      exchange,
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const started = performance.now();
    const requestId = randomUUID();
    const target = req.url ?? '';
    const mounted = mountedProductId(req);
    const parsed =
      mounted === undefined
        ? parseGatewayPath(target)
        : parseMountedGatewayPath(mounted, target);
    if (parsed === undefined) {
      sendProblem(res, 'invalid_path', requestId);
      return;
    }
    const clientIp = clientIpOf(req);
    const input: VerifyInput = {
      headers: req.headers,
      productId: parsed.productId,
      clientIp,
      environment: options.environment,
    };
    const verdict =
      verifier.verifyCached?.(input) ?? (await verifier.verify(input));
    if (!verdict.ok) {
      sendProblem(res, verdict.code, requestId);
      return;
    }
    const product = products.resolve(parsed.productId);
    if (product === undefined) {
      sendProblem(res, 'unknown_product', requestId);
      return;
    }
    const baseUrl =
      verdict.environment === 'production'
        ? product.baseUrl
        : product.sandboxUrl;
    if (!baseUrl) {
      sendProblem(res, 'wrong_environment', requestId);
      return;
    }
    const admission = admissionOf(verdict, now?.());
    let decision: LimitDecision;
    try {
      // Key and admission both at hand: no await, the call is forwarded in
      // the turn it arrived in.
      decision =
        limiter.checkCached?.(admission) ?? (await limiter.check(admission));
    } catch (error) {
      logger?.error(`Gateway cannot admit request ${requestId}: ${error}`);
      sendProblem(res, 'service_unavailable', requestId);
      return;
    }
    const responseHeaders = rateLimitHeaders(decision);
    responseHeaders['x-portico-request-id'] = requestId;
    if (!decision.allowed) {
      sendProblem(
        res,
        decision.reason ?? 'rate_limited',
        requestId,
        responseHeaders,
      );
      return;
    }
    proxy(
      req,
      res,
      verdict,
      decision,
      baseUrl,
      parsed,
      clientIp,
      requestId,
      started,
      responseHeaders,
    );
  }

  const handler = ((req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(error => {
      logger?.error(`Gateway handler failed: ${error}`);
      if (!res.headersSent)
        sendProblem(res, 'service_unavailable', randomUUID());
      else res.destroy();
    });
  }) as GatewayHandler;
  handler.close = () => pools.close();
  return handler;
}
