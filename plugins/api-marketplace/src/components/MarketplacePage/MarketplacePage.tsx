import { useEffect, useState } from 'react';
import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  LinkButton,
  Page,
  Progress,
  ResponseErrorPanel,
  SupportButton,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type { ProductSummary } from '@portico/plugin-api-marketplace-common';
import { useDebouncedValue, useMe, useProducts } from '../../hooks';
import {
  onboardingRouteRef,
  organizationRouteRef,
  productRouteRef,
} from '../../routes';
import { ProductCard } from '../ProductCard';
import {
  emptyFilters,
  MarketplaceFilters,
  MarketplaceFilterValues,
} from './MarketplaceFilters';

/** How long the search box must be idle before the list is queried. */
export const SEARCH_DEBOUNCE_MS = 300;

/**
 * Every tag seen so far, so the tag filter keeps its options while the list
 * is narrowed down.
 */
function useKnownTags(
  products: ProductSummary[] | undefined,
  selected: string,
) {
  const [tags, setTags] = useState<string[]>([]);
  useEffect(() => {
    const incoming = [
      ...(products ?? []).flatMap(p => p.tags),
      ...(selected ? [selected] : []),
    ];
    setTags(previous => {
      const merged = new Set([...previous, ...incoming]);
      return merged.size === previous.length
        ? previous
        : [...merged].sort((a, b) => a.localeCompare(b, 'en-US'));
    });
  }, [products, selected]);
  return tags;
}

function ProductGrid(props: {
  products: ProductSummary[];
  onTagClick: (tag: string) => void;
}) {
  const productRoute = useRouteRef(productRouteRef);
  return (
    <Grid container spacing={2}>
      {props.products.map(product => (
        <Grid item xs={12} md={6} lg={4} key={product.id}>
          <ProductCard
            product={product}
            href={productRoute({ productId: product.id })}
            onTagClick={props.onTagClick}
          />
        </Grid>
      ))}
    </Grid>
  );
}

/**
 * "Get started" for users without a partner organisation, a link to their
 * organisation otherwise. Nothing while `/v1/me` loads or fails: browsing
 * works without it.
 */
function AccountLink() {
  const me = useMe();
  const onboardingRoute = useRouteRef(onboardingRouteRef);
  const organizationRoute = useRouteRef(organizationRouteRef);
  if (!me.value) return null;
  return me.value.partner ? (
    <LinkButton to={organizationRoute()} variant="outlined" color="inherit">
      Your organisation
    </LinkButton>
  ) : (
    <LinkButton to={onboardingRoute()} variant="contained" color="primary">
      Get started
    </LinkButton>
  );
}

/** The marketplace: every published API with its prices, searchable. */
export function MarketplacePage() {
  const [filters, setFilters] = useState<MarketplaceFilterValues>(emptyFilters);
  const q = useDebouncedValue(filters.search.trim(), SEARCH_DEBOUNCE_MS);
  const { category, status, tag } = filters;
  const {
    value: products,
    loading,
    error,
  } = useProducts({ q, category, status, tag });
  const tags = useKnownTags(products, tag);
  const filtered = Object.values(filters).some(Boolean);

  let body;
  if (error && !loading) {
    body = <ResponseErrorPanel error={error} title="Could not load the APIs" />;
  } else if (!products || (loading && products.length === 0)) {
    body = <Progress />;
  } else if (products.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No APIs found"
        description={
          filtered
            ? 'No published API matches these filters.'
            : 'No API is published yet. API teams publish by adding a spec.marketplace block to their catalog-info.yaml.'
        }
        action={
          filtered ? (
            <Button
              variant="contained"
              color="primary"
              onClick={() => setFilters(emptyFilters)}
            >
              Clear filters
            </Button>
          ) : undefined
        }
      />
    );
  } else {
    body = (
      <>
        <Box mb={1} minHeight={4}>
          {loading && <Progress />}
        </Box>
        <Typography variant="body2" color="textSecondary" paragraph>
          {products.length === 1 ? '1 API' : `${products.length} APIs`}
        </Typography>
        <ProductGrid
          products={products}
          onTagClick={clicked => setFilters({ ...filters, tag: clicked })}
        />
      </>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="API Marketplace"
        subtitle="Browse, try and subscribe to our APIs"
      >
        <AccountLink />
      </Header>
      <Content>
        <ContentHeader title="APIs">
          <SupportButton>
            Every API here has docs, a sandbox and self-service keys.
          </SupportButton>
        </ContentHeader>
        <Box mb={2}>
          <MarketplaceFilters
            values={filters}
            tags={tags}
            onChange={setFilters}
          />
        </Box>
        <section aria-label="APIs" aria-busy={loading}>
          {body}
        </section>
      </Content>
    </Page>
  );
}
