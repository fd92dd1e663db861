import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import type { ProductDetail } from '@portico/plugin-api-marketplace-common';
import { marketplaceApiRef, MarketplaceApi } from '../../api';
import {
  makeProduct,
  makeProductDetail,
  makeSpecVersions,
} from '../../__testUtils__/fixtures';
import {
  deferred,
  mockMarketplaceApi,
} from '../../__testUtils__/mockMarketplaceApi';
import { rootRouteRef } from '../../routes';
import { Router } from '../Router';

const product = makeProductDetail({
  lint: {
    ruleset: 'portico',
    errors: 1,
    warnings: 2,
    infos: 0,
    findings: [
      {
        code: 'operation-description',
        message: 'Operation must have a description',
        severity: 'error',
        path: 'paths./shipments.post',
      },
    ],
  },
});

function apiFor(detail: ProductDetail = product) {
  return mockMarketplaceApi({
    listProducts: jest.fn(async () => [makeProduct()]),
    getProduct: jest.fn(async (id: string) => {
      if (id !== detail.id) throw new Error(`unexpected id ${id}`);
      return detail;
    }),
    listChanges: jest.fn(async () => makeSpecVersions()),
  });
}

async function renderAt(path: string, api: MarketplaceApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[marketplaceApiRef, api]]}>
      <Routes>
        <Route path="/api-marketplace/*" element={<Router />} />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: { '/api-marketplace': rootRouteRef },
    },
  );
}

describe('ProductPage', () => {
  it('shows the header, pricing table, lint summary and downloads', async () => {
    await renderAt('/api-marketplace/products/tracking', apiFor());

    expect(
      await screen.findByRole('heading', { name: 'Tracking', level: 1 }),
    ).toBeInTheDocument();
    const header = screen.getByRole('banner');
    expect(within(header).getByText('Version')).toBeInTheDocument();
    expect(within(header).getByText('2.1.0')).toBeInTheDocument();
    expect(within(header).getByText('active')).toBeInTheDocument();
    expect(within(header).getByText('logistics')).toBeInTheDocument();

    const pricing = screen.getAllByRole('table')[0];
    const starter = within(pricing)
      .getAllByRole('row')
      .find(row => row.textContent?.startsWith('Starter'))!;
    expect(
      [...starter.querySelectorAll('td')].map(td => td.textContent),
    ).toEqual(['Starter', '$49.00', '100,000', '$0.50', '20 req/s']);

    expect(screen.getByText('1 error')).toBeInTheDocument();
    expect(
      screen.getByText('Operation must have a description'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Postman collection' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('https://api.example.com/tracking'),
    ).toBeInTheDocument();
  });

  it('switches to the Docs and Changes tabs, loading changes only when opened', async () => {
    const api = apiFor();
    await renderAt('/api-marketplace/products/tracking', api);
    await screen.findByRole('heading', { name: 'Tracking', level: 1 });

    await userEvent.click(screen.getByRole('tab', { name: 'Docs' }));
    expect(
      await screen.findByRole('button', { name: 'Shipments (2 operations)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'TypeScript client' }),
    ).toBeInTheDocument();
    expect(api.listChanges).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('tab', { name: 'Changes' }));
    expect(
      await screen.findByRole('region', { name: 'Version 2.0.0' }),
    ).toBeInTheDocument();
    expect(api.listChanges).toHaveBeenCalledWith('tracking');
    expect(api.getProduct).toHaveBeenCalledTimes(1);
  });

  it('opens a tab from a deep link', async () => {
    await renderAt('/api-marketplace/products/tracking/changes', apiFor());
    expect(
      await screen.findByRole('region', { name: 'Version 1.0.0' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Changes' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });

  it('shows progress while loading', async () => {
    const pending = deferred<ProductDetail>();
    const api = apiFor();
    api.getProduct.mockReturnValue(pending.promise);
    await renderAt('/api-marketplace/products/tracking', api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    pending.resolve(product);
    expect(
      await screen.findByRole('tab', { name: 'Overview' }),
    ).toBeInTheDocument();
  });

  it('explains a product that does not exist', async () => {
    const api = apiFor();
    api.getProduct.mockRejectedValue(
      await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'NotFoundError',
              message: "No product with id 'nope'",
            },
          }),
          { status: 404, headers: { 'content-type': 'application/json' } },
        ),
      ),
    );
    await renderAt('/api-marketplace/products/nope', api);
    expect(
      await screen.findByText(/Could not load the API 'nope'/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Back to the marketplace' }),
    ).toHaveAttribute('href', '/api-marketplace');
  });

  it('is reached from a card of the marketplace page', async () => {
    await renderAt('/api-marketplace', apiFor());
    await userEvent.click(
      await screen.findByRole('link', { name: 'Tracking' }),
    );
    expect(
      await screen.findByRole('heading', { name: 'Tracking', level: 1 }),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Overview' })).toBeInTheDocument();
  });
});
