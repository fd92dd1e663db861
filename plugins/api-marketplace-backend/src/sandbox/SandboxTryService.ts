import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type {
  ProductDetail,
  SandboxTryRequest,
  SandboxTryResponse,
} from '@portico/plugin-api-marketplace-common';
import {
  LimitDecision,
  PROBLEMS,
  PROBLEM_CONTENT_TYPE,
  ProblemCode,
  VerifyResult,
  problemBody,
  signGatewayRequest,
} from '@portico/plugin-api-marketplace-node';
import { KeyStore } from '../database/KeyStore';
import { Partner } from '../database/PartnerStore';
import type { GatewayService } from '../gateway/GatewayService';
import { verifyRecord } from '../gateway/verifyRecord';
import { BuiltRequest, ParamValue, buildTarget } from './buildTarget';
import { SandboxCaller, SandboxResponse, toCurl } from './SandboxCaller';

/** `SandboxTryRequest`, with numbers and booleans accepted as parameter values. */
export type TryRequest = Omit<SandboxTryRequest, 'pathParams' | 'query'> & {
  pathParams?: Record<string, ParamValue>;
  query?: Record<string, ParamValue | ParamValue[]>;
};

/** Shown in curl instead of the key: `export PORTICO_KEY=sk_test_…` first. */
const KEY_VARIABLE = '$PORTICO_KEY';

/** A refusal of the request itself (not of the call), with a stable code. */
function refused(code: string, message: string): InputError {
  return Object.assign(new InputError(message), { code });
}

function bodyText(response: SandboxResponse): string {
  switch (response.bodyEncoding) {
    case 'json':
      return JSON.stringify(response.body);
    case 'none':
      return '';
    default:
      return String(response.body ?? '');
  }
}

function rateLimitHeaders(decision: LimitDecision): Record<string, string> {
  return {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(decision.resetSeconds),
    ...(decision.retryAfterSeconds !== undefined
      ? { 'retry-after': String(decision.retryAfterSeconds) }
      : {}),
  };
}

/**
 * `POST /v1/sandbox/try`: one call to a product's sandbox for the signed-in
 * user, through the gateway's own steps: the key is verified (a pasted
 * `sk_test_` key like any gateway call; one of the partner's keys by id on
 * the session's authority), admitted by the limiter at the free tier's
 * rate, metered as sandbox (never billable), and the request is built by
 * `buildTarget` and sent by `SandboxCaller` (host checks, pinned DNS, time
 * and size limits). Products without a sandbox get the built-in mock.
 */
export class SandboxTryService {
  constructor(
    private readonly options: {
      gateway: GatewayService;
      products: { get(id: string): Promise<ProductDetail | undefined> };
      keys: KeyStore;
      /** Calls to products' own sandboxes. */
      caller: SandboxCaller;
      /** Calls to the built-in mock on the loopback interface. */
      mockCaller: SandboxCaller;
      /** Public base URL of the plugin, for the curl command. */
      publicBaseUrl: () => Promise<string>;
      logger: Pick<LoggerService, 'warn'>;
    },
  ) {}

  async call(
    user: { partner?: Partner; clientIp?: string },
    request: TryRequest,
  ): Promise<SandboxTryResponse> {
    const { gateway, products } = this.options;
    const product = await products.get(request.productId);
    if (!product) {
      throw new NotFoundError(`No published product '${request.productId}'`);
    }
    const operation = this.operationOf(product, request);
    const viaMock = !product.sandboxUrl;
    const baseUrl = product.sandboxUrl ?? gateway.mock.urlFor(product.id);

    // Bad input is refused before anything is counted.
    const built = buildTarget({
      baseUrl,
      method: operation.method,
      pathTemplate: operation.path,
      pathParams: request.pathParams,
      query: request.query,
      headers: request.headers,
      body: request.body,
    });
    const curl = await this.curlOf(product.id, baseUrl, built);

    const verdict = await this.verify(user, request, product.id);
    if (!verdict.ok) return this.problem(verdict.code, curl);
    const decision = await gateway.dataPlane.limiter.check({
      partnerId: verdict.partnerId,
      keyId: verdict.keyId,
      productId: product.id,
      environment: 'sandbox',
      ratePerSecond: product.pricing.free.ratePerSecond,
      hardMonthlyQuota: verdict.plan.hardMonthlyQuota,
    });
    const limits = rateLimitHeaders(decision);
    if (!decision.allowed) {
      return this.problem(decision.reason ?? 'rate_limited', curl, limits);
    }

    const requestId = randomUUID();
    const target = new URL(built.url);
    const timestamp = Math.floor(Date.now() / 1000);
    const signed: BuiltRequest = {
      ...built,
      headers: {
        ...built.headers,
        'x-portico-partner': verdict.partnerId,
        'x-portico-key-id': verdict.keyId,
        'x-portico-plan': verdict.plan.plan,
        'x-portico-request-id': requestId,
        'x-portico-timestamp': String(timestamp),
        'x-portico-signature': signGatewayRequest(
          gateway.dataPlane.signingSecret,
          {
            timestamp,
            partnerId: verdict.partnerId,
            keyId: verdict.keyId,
            plan: verdict.plan.plan,
            method: built.method,
            path: target.pathname + target.search,
          },
        ),
      },
    };
    const started = performance.now();
    let status = 502;
    try {
      const response = await (viaMock
        ? this.options.mockCaller
        : this.options.caller
      ).call(signed);
      status = response.statusCode;
      return {
        statusCode: response.statusCode,
        headers: {
          ...response.headers,
          ...limits,
          'x-portico-request-id': requestId,
        },
        body: bodyText(response),
        latencyMs: Math.round(response.latencyMs),
        size: response.size,
        truncated: response.truncated,
        curl,
      };
    } catch (error) {
      if ((error as Error).name !== 'ServiceUnavailableError') throw error;
      const timeout = /did not (answer|accept)/.test((error as Error).message);
      status = timeout ? 504 : 502;
      this.options.logger.warn(
        `Sandbox of ${product.id} failed for try-it: ${
          (error as Error).message
        }`,
      );
      return this.problem(
        timeout ? 'upstream_timeout' : 'upstream_unavailable',
        curl,
        { ...limits, 'x-portico-request-id': requestId },
      );
    } finally {
      gateway.dataPlane.meter.record({
        partnerId: verdict.partnerId,
        productId: product.id,
        environment: 'sandbox',
        at: decision.at,
        status,
        latencyMs: performance.now() - started,
        quotaCounted: decision.quotaCounted,
        hasQuota: decision.hasQuota,
      });
    }
  }

  private operationOf(
    product: ProductDetail,
    request: TryRequest,
  ): { method: string; path: string } {
    if (request.operationId) {
      const op = product.operations.find(
        o => o.operationId === request.operationId,
      );
      if (!op) {
        throw new NotFoundError(
          `Product '${product.id}' has no operation '${request.operationId}'`,
        );
      }
      return op;
    }
    if (!request.method || !request.path) {
      throw new InputError(
        'Name the operation: operationId, or method and path',
      );
    }
    const method = request.method.toUpperCase();
    const op = product.operations.find(
      o => o.method.toUpperCase() === method && o.path === request.path,
    );
    if (!op) {
      throw new NotFoundError(
        `Product '${product.id}' has no operation ${method} ${request.path}`,
      );
    }
    return op;
  }

  /** The key: the partner's own sandbox key by id, or a pasted test key. */
  private async verify(
    user: { partner?: Partner; clientIp?: string },
    request: TryRequest,
    productId: string,
  ): Promise<VerifyResult> {
    const { gateway, keys } = this.options;
    if (request.keyId !== undefined && request.key !== undefined) {
      throw new InputError('Send keyId or key, not both');
    }
    if (request.keyId !== undefined) {
      if (!user.partner) {
        throw new NotFoundError(
          'You do not belong to a partner organisation yet',
        );
      }
      const own = await keys.get(user.partner.id, request.keyId);
      if (!own) throw new NotFoundError(`No key with id '${request.keyId}'`);
      if (own.environment !== 'sandbox') {
        throw refused(
          'live_key_refused',
          'Try-it only calls sandboxes: use a sandbox (sk_test_) key',
        );
      }
      return verifyRecord(await gateway.dataPlane.lookup.findByKeyId(own.id), {
        productId,
        clientIp: user.clientIp,
      });
    }
    if (request.key !== undefined) {
      const key = request.key.trim();
      if (key.startsWith('sk_live_')) {
        throw refused(
          'live_key_refused',
          'Try-it only calls sandboxes: never paste a production (sk_live_) key here',
        );
      }
      return gateway.verifier.verify({
        headers: { 'x-api-key': key },
        productId,
        clientIp: user.clientIp,
        environment: 'sandbox',
      });
    }
    throw new InputError('Send keyId (one of your sandbox keys) or key');
  }

  /** What the gateway would answer, as a try-it response. */
  private problem(
    code: ProblemCode,
    curl: string,
    extra: Record<string, string> = {},
  ): SandboxTryResponse {
    const requestId = extra['x-portico-request-id'] ?? randomUUID();
    const body = problemBody(code, requestId);
    return {
      statusCode: PROBLEMS[code].status,
      headers: {
        ...extra,
        'content-type': PROBLEM_CONTENT_TYPE,
        'x-portico-request-id': requestId,
      },
      body,
      latencyMs: 0,
      size: Buffer.byteLength(body),
      truncated: false,
      curl,
    };
  }

  /**
   * The same call through the public gateway, with the key as a shell
   * variable in double quotes (so the shell expands it); every other
   * argument single-quoted by `toCurl`.
   */
  private async curlOf(
    productId: string,
    baseUrl: string,
    built: BuiltRequest,
  ): Promise<string> {
    const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
    const target = new URL(built.url);
    const below = target.pathname.slice(basePath.length);
    const url = `${await this.options.publicBaseUrl()}/gateway/${encodeURIComponent(
      productId,
    )}${below}${target.search}`;
    const lines = toCurl({ ...built, url }).split(' \\\n  ');
    lines.splice(2, 0, `--header "Authorization: Bearer ${KEY_VARIABLE}"`);
    return lines.join(' \\\n  ');
  }
}
