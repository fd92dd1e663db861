import { ReactNode } from 'react';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { getMarketplaceId } from '../../conditions';
import { useMe, useProduct } from '../../hooks';
import { KeysPanel } from '../Keys';
import { ProductChanges } from '../ProductChanges';
import { ProductDocs, useProductSummary } from '../ProductDocs';
import { ProductDownloads } from '../ProductDownloads';
import { TryItConsole } from '../TryIt';

function NotPublished() {
  return (
    <EmptyState
      missing="info"
      title="Not in the marketplace"
      description="This API has no valid spec.marketplace block, so it is not published."
    />
  );
}

function WithMarketplaceId(props: { children: (id: string) => ReactNode }) {
  const { entity } = useEntity();
  const id = getMarketplaceId(entity);
  return <>{id ? props.children(id) : <NotPublished />}</>;
}

function DocsContent(props: { productId: string }) {
  // The list item, not the product: its operations come in lazily.
  const { value: product, loading, error } = useProductSummary(props.productId);
  if (loading) return <Progress />;
  if (error) {
    return <ResponseErrorPanel error={error} title="Could not load the docs" />;
  }
  if (!product) return <NotPublished />;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <ProductDownloads productId={product.id} />
      </Grid>
      <Grid item xs={12}>
        <ProductDocs product={product} />
      </Grid>
    </Grid>
  );
}

/** The Docs tab of an API entity page, generated from its spec. */
export function EntityMarketplaceDocsContent() {
  return (
    <WithMarketplaceId>
      {id => <DocsContent productId={id} />}
    </WithMarketplaceId>
  );
}

/** The Changes tab of an API entity page: its spec versions and diffs. */
export function EntityMarketplaceChangesContent() {
  return (
    <WithMarketplaceId>
      {id => <ProductChanges productId={id} />}
    </WithMarketplaceId>
  );
}

function KeysContent(props: { productId: string }) {
  const me = useMe();
  if (me.loading) return <Progress />;
  if (me.error) {
    return (
      <ResponseErrorPanel
        error={me.error}
        title="Could not load your account"
      />
    );
  }
  if (!me.value?.partner) {
    return (
      <EmptyState
        missing="info"
        title="No partner organisation"
        description="Create your organisation on the API marketplace's Get started page to issue keys."
      />
    );
  }
  return <KeysPanel productId={props.productId} />;
}

/**
 * The Keys tab of an API entity page: the partner's keys scoped to this API,
 * with create prefilled to it.
 */
export function EntityMarketplaceKeysContent() {
  return (
    <WithMarketplaceId>
      {id => <KeysContent productId={id} />}
    </WithMarketplaceId>
  );
}

function TryItContent(props: { productId: string }) {
  const { value: product, loading, error } = useProduct(props.productId);
  if (loading) return <Progress />;
  if (error) {
    return <ResponseErrorPanel error={error} title="Could not load the API" />;
  }
  if (!product) return <NotPublished />;
  return <TryItConsole product={product} />;
}

/**
 * The Try it tab of an API entity page: calls its sandbox with one of the
 * partner's sandbox keys, picked by id.
 */
export function EntityMarketplaceTryItContent() {
  return (
    <WithMarketplaceId>
      {id => <TryItContent productId={id} />}
    </WithMarketplaceId>
  );
}
