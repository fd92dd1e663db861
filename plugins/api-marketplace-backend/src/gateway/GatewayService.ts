import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  GatewayHandler,
  KeyEnvironment,
  VerifyInput,
  VerifyRequestResult,
  VerifyResult,
  createGatewayHandler,
  verifyRequest,
} from '@portico/plugin-api-marketplace-node';
import express from 'express';
import { Knex } from 'knex';
import { KeyStore } from '../database/KeyStore';
import { MockSandbox } from '../sandbox';
import { clientIpResolver } from './clientIp';
import { DataPlane } from './DataPlane';
import { GatewayProduct, GatewayProductSource } from './DatabaseKeyLookup';
import { KeyEvictions } from './KeyEvictions';
import { LastUsedRecorder } from './LastUsedRecorder';
import { recordingLastUse } from './recordingLastUse';
import { MockSandboxServer } from './MockSandboxServer';

/** Products as the gateway reads them: awaited for keys, synchronously per call. */
export type GatewayProducts = GatewayProductSource & {
  peek(productId: string): GatewayProduct | undefined;
};

/** One call to verify for an existing gateway (verify endpoints). */
export type VerifyCallInput = {
  /** Lower-cased request headers carrying the key. */
  headers: Record<string, string | string[] | undefined>;
  productId: string;
  environment?: KeyEnvironment;
  clientIp?: string;
  method?: string;
  /** The target the upstream receives; signed. */
  path?: string;
};

/** The verdict, with the key's identity whenever the key was recognised. */
export type VerifyCallResult = VerifyRequestResult & {
  verdict?: VerifyResult;
};

/**
 * The gateway mounted in the backend at `/gateway/{productId}/…`, and the
 * verify mode for existing gateways: one verifier, limiter and meter, so a
 * call counts the same whichever way it comes in.
 */
export class GatewayService {
  private constructor(
    readonly dataPlane: DataPlane,
    readonly mock: MockSandboxServer,
    readonly evictions: KeyEvictions,
    private readonly handler: GatewayHandler,
    private readonly lastUsed: LastUsedRecorder,
    readonly verifier: { verify(input: VerifyInput): Promise<VerifyResult> },
    /** The caller's address, behind `apiMarketplace.gateway.trustedProxies`. */
    readonly clientIp: (req: IncomingMessage) => string | undefined,
  ) {}

  static async create(options: {
    config: Config;
    logger: LoggerService;
    database: Knex;
    products: GatewayProducts;
    sandbox: MockSandbox;
    keys: KeyStore;
  }): Promise<GatewayService> {
    const { config, logger, products, keys } = options;
    const dataPlane = await DataPlane.create(options);
    const mock = await MockSandboxServer.start({
      sandbox: options.sandbox,
      signingSecret: dataPlane.signingSecret,
      logger,
    });
    const lastUsed = new LastUsedRecorder(keys, logger);
    const verifier = recordingLastUse(dataPlane.verifier, lastUsed);
    const clientIp = clientIpResolver(
      config.getOptionalNumber('apiMarketplace.gateway.trustedProxies') ?? 0,
    );
    const handler = createGatewayHandler({
      verifier,
      limiter: dataPlane.limiter,
      meter: dataPlane.meter,
      products: {
        resolve(productId) {
          const product = products.peek(productId);
          if (!product) return undefined;
          return {
            baseUrl: product.baseUrl,
            sandboxUrl: product.sandboxUrl ?? mock.urlFor(productId),
          };
        },
      },
      signingSecret: dataPlane.signingSecret,
      clientIp,
      logger,
    });
    return new GatewayService(
      dataPlane,
      mock,
      new KeyEvictions(dataPlane.bus, keys, logger),
      handler,
      lastUsed,
      verifier,
      clientIp,
    );
  }

  /** Mount before any body parser: the gateway streams request bodies. */
  router(): express.Router {
    const router = express.Router();
    router.use('/gateway', (req, res) => this.handler(req, res));
    return router;
  }

  /**
   * Verify mode: verification, rate limit and quota exactly as the gateway
   * does, and the call is metered. The upstream status is not known here,
   * so an admitted call is metered as 2xx and stays billable.
   */
  async verifyCall(input: VerifyCallInput): Promise<VerifyCallResult> {
    const started = performance.now();
    let verdict: VerifyResult | undefined;
    const result = await verifyRequest(
      {
        verifier: {
          verify: async verifyInput => {
            verdict = await this.verifier.verify(verifyInput);
            return verdict;
          },
        },
        limiter: this.dataPlane.limiter,
        signingSecret: this.dataPlane.signingSecret,
        environment: input.environment,
      },
      {
        headers: input.headers,
        productId: input.productId,
        clientIp: input.clientIp,
        method: input.method ?? 'GET',
        path: input.path,
      },
    );
    if (result.status === 200 && result.key && result.decision) {
      this.dataPlane.meter.record({
        partnerId: result.key.partnerId,
        productId: result.key.productId,
        environment: result.key.environment,
        at: result.decision.at,
        status: 200,
        latencyMs: performance.now() - started,
        quotaCounted: result.decision.quotaCounted,
        hasQuota: result.decision.hasQuota,
      });
    }
    return { ...result, verdict };
  }

  async close(): Promise<void> {
    await this.handler.close().catch(() => undefined);
    await this.lastUsed.close();
    await this.dataPlane.close();
    await this.mock.close();
  }
}
