import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ReactElement } from 'react';
import { marketplaceApiRef, MarketplaceApi } from '../../api';
import {
  makeIssuedKey,
  makeKey,
  makePartner,
  makeProduct,
  makeProductDetail,
  makeSpecVersions,
} from '../../__testUtils__/fixtures';
import { mockMarketplaceApi } from '../../__testUtils__/mockMarketplaceApi';
import {
  EntityMarketplaceChangesContent,
  EntityMarketplaceDocsContent,
  EntityMarketplaceKeysContent,
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
  it('shows downloads and the operations of the entity product, without downloading every operation', async () => {
    const { operations } = makeProductDetail();
    const api = mockMarketplaceApi({
      listProducts: jest.fn(async () => [
        makeProduct({ id: 'routing', title: 'Routing' }),
        makeProduct(),
      ]),
      listOperations: jest.fn(async () =>
        operations.map(({ operationId, method, path, summary, tags }) => ({
          operationId,
          method,
          path,
          summary,
          tags,
          deprecated: false,
        })),
      ),
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
      screen.getByText('2 operations in Tracking v2.1.0'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Postman collection' }),
    ).toBeInTheDocument();
    expect(api.listOperations).toHaveBeenCalledWith('tracking');
    expect(api.getProduct).not.toHaveBeenCalled();
    expect(api.getOperation).not.toHaveBeenCalled();
  });

  it('explains an API that is not in the marketplace without calling the backend', async () => {
    const api = mockMarketplaceApi();
    await renderFor(apiEntity(), <EntityMarketplaceDocsContent />, api);
    expect(screen.getByText('Not in the marketplace')).toBeInTheDocument();
    expect(api.listProducts).not.toHaveBeenCalled();
    expect(api.listOperations).not.toHaveBeenCalled();
  });

  it('explains an id the marketplace does not publish', async () => {
    const api = mockMarketplaceApi({
      listProducts: jest.fn(async () => [makeProduct()]),
    });
    await renderFor(
      apiEntity({ id: 'retired' }),
      <EntityMarketplaceDocsContent />,
      api,
    );
    expect(
      await screen.findByText('Not in the marketplace'),
    ).toBeInTheDocument();
    expect(api.listOperations).not.toHaveBeenCalled();
  });

  it('shows an error panel when the product cannot be loaded', async () => {
    const api = mockMarketplaceApi({
      listProducts: jest.fn(async () => {
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

describe('EntityMarketplaceKeysContent', () => {
  const withPartner = {
    getMe: jest.fn(async () => ({
      userRef: 'user:default/jane',
      isAdmin: false,
      partner: { ...makePartner(), role: 'developer' },
      invitations: [],
    })),
  };

  it('lists only the keys scoped to the entity product and prefills create with it', async () => {
    const api = mockMarketplaceApi({
      ...withPartner,
      listProducts: jest.fn(async () => [
        makeProduct(),
        makeProduct({ id: 'payments', title: 'Payments' }),
      ]),
      listKeys: jest.fn(async () => [
        makeKey(),
        makeKey({ id: 'k-2', name: 'Payments key', productIds: ['payments'] }),
      ]),
      createKey: jest.fn(async () => makeIssuedKey()),
    });
    await renderFor(
      apiEntity({ id: 'tracking' }),
      <EntityMarketplaceKeysContent />,
      api,
    );
    expect(await screen.findByText('Sandbox key')).toBeInTheDocument();
    expect(screen.queryByText('Payments key')).not.toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/Key name/), 'Entity key');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(api.createKey).toHaveBeenCalledWith({
      name: 'Entity key',
      productIds: ['tracking'],
      environment: 'sandbox',
    });
    expect(
      await screen.findByRole('region', { name: 'New API key' }),
    ).toHaveTextContent("you won't see this key again");
  }, 20_000);

  it('explains that keys need a partner organisation', async () => {
    await renderFor(
      apiEntity({ id: 'tracking' }),
      <EntityMarketplaceKeysContent />,
      mockMarketplaceApi(),
    );
    expect(
      await screen.findByText('No partner organisation'),
    ).toBeInTheDocument();
  });

  it('shows the account load error', async () => {
    await renderFor(
      apiEntity({ id: 'tracking' }),
      <EntityMarketplaceKeysContent />,
      mockMarketplaceApi({
        getMe: jest.fn(async () => {
          throw new Error('down');
        }),
      }),
    );
    expect(
      await screen.findByText(/Could not load your account/),
    ).toBeInTheDocument();
  });

  it('shows that an entity without a marketplace block is not published', async () => {
    await renderFor(
      apiEntity(),
      <EntityMarketplaceKeysContent />,
      mockMarketplaceApi(withPartner),
    );
    expect(
      await screen.findByText('Not in the marketplace'),
    ).toBeInTheDocument();
  });
});
