import type { LoggerService } from '@backstage/backend-plugin-api';
import type { RevocationBus } from '@portico/plugin-api-marketplace-node';
import { KeyStore } from '../database/KeyStore';

/**
 * Tells every gateway replica that keys changed (revoked, rotated, partner
 * suspended, subscriptions changed), so their verification caches drop them
 * within about a second. The database change has already happened: if the
 * bus is unreachable the caches' short TTL still applies, so a failure is
 * logged, never thrown at the partner.
 */
export class KeyEvictions {
  constructor(
    private readonly bus: Pick<RevocationBus, 'publish'>,
    private readonly keys: KeyStore,
    private readonly logger: Pick<LoggerService, 'warn'>,
  ) {}

  async key(keyId: string): Promise<void> {
    try {
      await this.bus.publish(keyId);
    } catch (error) {
      this.logger.warn(
        `Could not publish the eviction of key ${keyId}; gateways drop it when their cache expires: ${error}`,
      );
    }
  }

  /** Every key of a partner: its status or its subscriptions changed. */
  async partner(partnerId: string): Promise<void> {
    for (const key of await this.keys.list(partnerId)) {
      if (key.status !== 'revoked') await this.key(key.id);
    }
  }
}
