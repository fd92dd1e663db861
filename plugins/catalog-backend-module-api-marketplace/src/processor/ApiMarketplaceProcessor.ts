import { Entity } from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { parseApiProduct } from '@portico/plugin-api-marketplace-common';

/**
 * Validates the `spec.marketplace` block of `API` entities. A bad block is a
 * processing error that names the field; the entity is then not published.
 */
export class ApiMarketplaceProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'ApiMarketplaceProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const block = (entity.spec as { marketplace?: unknown } | undefined)
      ?.marketplace;
    if (entity.kind !== 'API' || block === undefined) {
      return entity;
    }
    const parsed = parseApiProduct(block);
    if (!parsed.success) {
      emit(
        processingResult.inputError(
          location,
          `Invalid marketplace block of ${entity.metadata.name}: ${parsed.errors.join('; ')}`,
        ),
      );
    }
    return entity;
  }
}
