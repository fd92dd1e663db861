import { useState } from 'react';
import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  SupportButton,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Grid, MenuItem, TextField } from '@material-ui/core';
import { apiCategories, apiProductStatuses } from '@portico/plugin-api-marketplace-common';
import { useProducts } from '../../hooks/useProducts';
import { productRouteRef } from '../../routes';
import { ProductCard } from '../ProductCard';

/** The marketplace: every published API with its prices, searchable. */
export function MarketplacePage() {
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const [status, setStatus] = useState('');
  const productRoute = useRouteRef(productRouteRef);
  const { value: products, loading, error } = useProducts({ q, category, status });

  let body;
  if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (loading && !products) {
    body = <Progress />;
  } else if (!products?.length) {
    body = (
      <EmptyState
        missing="data"
        title="No APIs found"
        description="No published API matches these filters. API teams publish by adding a catalog-info.yaml with a spec.marketplace block."
      />
    );
  } else {
    body = (
      <Grid container spacing={2}>
        {products.map(product => (
          <Grid item xs={12} md={6} lg={4} key={product.id}>
            <ProductCard product={product} href={productRoute({ productId: product.id })} />
          </Grid>
        ))}
      </Grid>
    );
  }

  return (
    <Page themeId="tool">
      <Header title="API Marketplace" subtitle="Browse, try and subscribe to our APIs" />
      <Content>
        <ContentHeader title="APIs">
          <SupportButton>Every API here has docs, a sandbox and self-service keys.</SupportButton>
        </ContentHeader>
        <Grid container spacing={2} style={{ marginBottom: 16 }}>
          <Grid item xs={12} md={6}>
            <TextField
              fullWidth
              label="Search"
              variant="outlined"
              size="small"
              value={q}
              onChange={e => setQ(e.target.value)}
              inputProps={{ 'aria-label': 'Search APIs' }}
            />
          </Grid>
          <Grid item xs={6} md={3}>
            <TextField select fullWidth label="Category" variant="outlined" size="small" value={category} onChange={e => setCategory(e.target.value as string)}>
              <MenuItem value="">All</MenuItem>
              {apiCategories.map(c => (
                <MenuItem key={c} value={c}>{c}</MenuItem>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={6} md={3}>
            <TextField select fullWidth label="Status" variant="outlined" size="small" value={status} onChange={e => setStatus(e.target.value as string)}>
              <MenuItem value="">All</MenuItem>
              {apiProductStatuses.map(s => (
                <MenuItem key={s} value={s}>{s}</MenuItem>
              ))}
            </TextField>
          </Grid>
        </Grid>
        {body}
      </Content>
    </Page>
  );
}
