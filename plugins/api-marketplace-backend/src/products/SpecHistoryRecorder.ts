import { LoggerService } from '@backstage/backend-plugin-api';
import { SpecHistoryStore } from '../database/SpecHistoryStore';
import { diffSpecs } from './diffSpecs';
import { SpecDocument, parseSpecText } from './specDocument';

/** Records a product's spec when it differs from the newest recorded one. */
export class SpecHistoryRecorder {
  private readonly recorded = new Map<string, string>();

  constructor(
    private readonly store: SpecHistoryStore,
    private readonly logger: LoggerService,
  ) {}

  async record(product: {
    id: string;
    entityRef: string;
    version: string;
    specHash: string;
    specText: string;
    doc: SpecDocument;
  }): Promise<void> {
    if (this.recorded.get(product.id) === product.specHash) return;
    const latest = await this.store.latest(product.id);
    if (latest?.specHash !== product.specHash) {
      let changes: ReturnType<typeof diffSpecs> = [];
      if (latest) {
        try {
          changes = diffSpecs(parseSpecText(latest.specText), product.doc);
        } catch (error) {
          this.logger.warn(
            `Could not diff the previous spec of ${product.id}: ${error}`,
          );
        }
      }
      await this.store.record({
        productId: product.id,
        entityRef: product.entityRef,
        specHash: product.specHash,
        version: product.version,
        specText: product.specText,
        changes,
      });
    }
    this.recorded.set(product.id, product.specHash);
  }
}
