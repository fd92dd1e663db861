import {
  Content,
  EmptyState,
  Header,
  HeaderLabel,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  TabbedLayout,
} from '@backstage/core-components';
import { useRouteRef, useRouteRefParams } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type { ProductDetail } from '@portico/plugin-api-marketplace-common';
import { useProduct } from '../../hooks';
import { formatDateTime } from '../../lib/format';
import { productRouteRef, rootRouteRef } from '../../routes';
import { LintSummaryCard } from '../LintSummaryCard';
import { PricingTable } from '../Pricing';
import { ProductChanges } from '../ProductChanges';
import { ProductDocs } from '../ProductDocs';
import { ProductDownloads } from '../ProductDownloads';
import { TryItConsole } from '../TryIt';

function Overview(props: { product: ProductDetail }) {
  const { product } = props;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Get started">
          <Typography variant="body1" paragraph>
            {product.description}
          </Typography>
          <Typography variant="body2" paragraph>
            Base URL: <code>{product.baseUrl}</code>
            {product.sandboxUrl && (
              <>
                {' '}
                · Sandbox: <code>{product.sandboxUrl}</code>
              </>
            )}
          </Typography>
          <ProductDownloads productId={product.id} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={8}>
        <PricingTable pricing={product.pricing} />
      </Grid>
      <Grid item xs={12} lg={4}>
        <LintSummaryCard lint={product.lint} />
      </Grid>
    </Grid>
  );
}

function ProductTabs(props: { product: ProductDetail }) {
  const { product } = props;
  return (
    <TabbedLayout>
      <TabbedLayout.Route path="/" title="Overview">
        <Overview product={product} />
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/docs" title="Docs">
        <Grid container spacing={2}>
          <Grid item xs={12}>
            <ProductDownloads productId={product.id} />
          </Grid>
          <Grid item xs={12}>
            <ProductDocs product={product} />
          </Grid>
        </Grid>
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/try" title="Try it">
        <TryItConsole product={product} />
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/changes" title="Changes">
        <ProductChanges productId={product.id} />
      </TabbedLayout.Route>
    </TabbedLayout>
  );
}

/** One product of the marketplace: overview, docs, try it and changes as tabs. */
export function ProductPage() {
  const { productId } = useRouteRefParams(productRouteRef);
  const marketplaceLink = useRouteRef(rootRouteRef);
  const { value: product, loading, error } = useProduct(productId);

  let body;
  if (loading) {
    body = (
      <Content>
        <Progress />
      </Content>
    );
  } else if (error) {
    body = (
      <Content>
        <ResponseErrorPanel
          error={error}
          title={`Could not load the API '${productId}'`}
        />
        <Typography>
          <Link to={marketplaceLink()}>Back to the marketplace</Link>
        </Typography>
      </Content>
    );
  } else if (!product) {
    body = (
      <Content>
        <EmptyState
          missing="info"
          title="No such API"
          description={`The marketplace has no API '${productId}'.`}
        />
      </Content>
    );
  } else {
    body = <ProductTabs product={product} />;
  }

  return (
    <Page themeId="tool">
      <Header
        title={product?.title ?? productId}
        subtitle={product?.description}
        type="API Marketplace"
        typeLink={marketplaceLink()}
      >
        {product && (
          <>
            <HeaderLabel label="Version" value={product.version} />
            <HeaderLabel label="Status" value={product.status} />
            <HeaderLabel label="Category" value={product.category} />
            <HeaderLabel
              label="Operations"
              value={product.operationCount.toLocaleString('en-US')}
            />
            <HeaderLabel
              label="Updated"
              value={formatDateTime(product.updatedAt)}
            />
          </>
        )}
      </Header>
      {body}
    </Page>
  );
}
