import { EmptyState, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { useProduct } from '../../hooks/useProducts';
import { ProductDocs } from '../ProductDocs';

/** The marketplace id of an API entity, if it has a marketplace block. */
export function getMarketplaceId(entity: Entity): string | undefined {
  const id = (entity.spec as any)?.marketplace?.id;
  return typeof id === 'string' ? id : undefined;
}

/** Whether an entity is published in the marketplace (for `EntitySwitch`). */
export function isMarketplaceApi(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'api' && getMarketplaceId(entity) !== undefined;
}

/** The Docs tab of an API entity page, generated from its spec. */
export function EntityMarketplaceDocsContent() {
  const { entity } = useEntity();
  const { value: product, loading, error } = useProduct(getMarketplaceId(entity));
  if (error) return <ResponseErrorPanel error={error} />;
  if (loading) return <Progress />;
  if (!product) {
    return (
      <EmptyState
        missing="info"
        title="Not in the marketplace"
        description="This API has no valid spec.marketplace block, so it is not published."
      />
    );
  }
  return <ProductDocs product={product} />;
}
