import { Entity } from '@backstage/catalog-model';

/** The marketplace id of an API entity, if it has a marketplace block. */
export function getMarketplaceId(entity: Entity): string | undefined {
  const marketplace = (entity.spec as { marketplace?: { id?: unknown } })
    ?.marketplace;
  return typeof marketplace?.id === 'string' ? marketplace.id : undefined;
}

/**
 * Whether an entity is published in the marketplace, for `EntitySwitch` and
 * `EntityLayout.Route` `if` props. Kept apart from the components so that
 * importing it does not pull them into the main bundle.
 */
export function isMarketplaceApi(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'api' &&
    getMarketplaceId(entity) !== undefined
  );
}
