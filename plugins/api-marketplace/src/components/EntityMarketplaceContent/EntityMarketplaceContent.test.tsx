import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ReactElement } from 'react';
import { marketplaceApiRef, MarketplaceApi } from '../../api';
import {
  makeProductDetail,
  makeSpecVersions,
} from '../../__testUtils__/fixtures';
import { mockMarketplaceApi } from '../../__testUtils__/mockMarketplaceApi';
import {
  EntityMarketplaceChangesContent,
  EntityMarketplaceDocsContent,
} from './EntityMarketplaceContent';

const apiEntity = (marketplace?: object): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: 'tracking-api' },
  spec: {
    type: 'openapi',
    lifecycle: 'production',
    owner: 'team-a',
    definition: '{}',
    ...(marketplace ? { marketplace } : {}),
  },
});

async function renderFor(
  entity: Entity,
  element: ReactElement,
  api: MarketplaceApi,
) {
  return renderInTestApp(
    <TestApiProvider apis={[[marketplaceApiRef, api]]}>
      <EntityProvider entity={entity}>{element}</EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityMarketplaceDocsContent', () => {
  it('shows downloads and the operations of the entity product', async () => {
    const api = mockMarketplaceApi({
      getProduct: jest.fn(async () => makeProductDetail()),
    });
    await renderFor(
      apiEntity({ id: 'tracking' }),
      <EntityMarketplaceDocsContent />,
      api,
    );
    expect(
      await screen.findByRole('button', { name: 'Shipments (2 operations)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Postman collection' }),
    ).toBeInTheDocument();
    expect(api.getProduct).toHaveBeenCalledWith('tracking');
  });

  it('explains an API that is not in the marketplace without calling the backend', async () => {
    const api = mockMarketplaceApi();
    await renderFor(apiEntity(), <EntityMarketplaceDocsContent />, api);
    expect(screen.getByText('Not in the marketplace')).toBeInTheDocument();
    expect(api.getProduct).not.toHaveBeenCalled();
  });

  it('shows an error panel when the product cannot be loaded', async () => {
    const api = mockMarketplaceApi({
      getProduct: jest.fn(async () => {
        throw new Error('catalog is rebuilding');
      }),
    });
    await renderFor(
      apiEntity({ id: 'tracking' }),
      <EntityMarketplaceDocsContent />,
      api,
    );
    expect(
      await screen.findByText(/Could not load the docs/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/catalog is rebuilding/).length).toBeGreaterThan(
      0,
    );
  });
});

describe('EntityMarketplaceChangesContent', () => {
  it('lists the spec versions of the entity product', async () => {
    const api = mockMarketplaceApi({
      listChanges: jest.fn(async () => makeSpecVersions()),
    });
    await renderFor(
      apiEntity({ id: 'tracking' }),
      <EntityMarketplaceChangesContent />,
      api,
    );
    expect(
      await screen.findByRole('region', { name: 'Version 2.0.0' }),
    ).toBeInTheDocument();
    expect(screen.getByText('DELETE /shipments/{id}')).toBeInTheDocument();
    expect(api.listChanges).toHaveBeenCalledWith('tracking');
  });

  it('explains an API that is not in the marketplace', async () => {
    const api = mockMarketplaceApi();
    await renderFor(apiEntity(), <EntityMarketplaceChangesContent />, api);
    expect(screen.getByText('Not in the marketplace')).toBeInTheDocument();
    expect(api.listChanges).not.toHaveBeenCalled();
  });
});
