import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ProductSummary } from '@portico/plugin-api-marketplace-common';
import { marketplaceApiRef, MarketplaceApi } from '../../api';
import { makePartner, makeProduct } from '../../__testUtils__/fixtures';
import {
  deferred,
  mockMarketplaceApi,
} from '../../__testUtils__/mockMarketplaceApi';
import { rootRouteRef } from '../../routes';
import { MarketplacePage, SEARCH_DEBOUNCE_MS } from './MarketplacePage';

const tracking = makeProduct();
const payments = makeProduct({
  id: 'payments',
  title: 'Payments',
  category: 'payments',
  status: 'beta',
  tags: ['cards'],
});

async function renderPage(api: MarketplaceApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[marketplaceApiRef, api]]}>
      <MarketplacePage />
    </TestApiProvider>,
    { mountedRoutes: { '/api-marketplace': rootRouteRef } },
  );
}

const card = (name: string) => screen.queryByRole('article', { name });

describe('MarketplacePage', () => {
  it('lists the products with links to their pages', async () => {
    const api = mockMarketplaceApi({
      listProducts: jest.fn(async () => [tracking, payments]),
    });
    await renderPage(api);

    expect(
      await screen.findByRole('link', { name: 'Tracking' }),
    ).toHaveAttribute('href', '/api-marketplace/products/tracking');
    expect(card('Payments')).toBeInTheDocument();
    expect(screen.getByText('2 APIs')).toBeInTheDocument();
    expect(api.listProducts).toHaveBeenCalledWith({
      q: '',
      category: '',
      status: '',
      tag: '',
    });
  });

  it('debounces the search and queries only what was typed in the end', async () => {
    const api = mockMarketplaceApi({
      listProducts: jest.fn(async ({ q } = {}) =>
        q ? [tracking] : [tracking, payments],
      ),
    });
    // On fake time, so that a slow machine cannot stretch the typing past
    // the debounce.
    jest.useFakeTimers();
    try {
      const user = userEvent.setup({
        advanceTimers: jest.advanceTimersByTime,
      });
      await renderPage(api);
      await screen.findByRole('article', { name: 'Payments' });

      await user.type(screen.getByLabelText('Search APIs'), 'track');
      expect(api.listProducts).toHaveBeenCalledTimes(1);
      await act(async () => {
        jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
      });

      await waitFor(() => expect(card('Payments')).not.toBeInTheDocument());
      expect(card('Tracking')).toBeInTheDocument();
      const queries = api.listProducts.mock.calls.map(([query]) => query?.q);
      expect(queries).toEqual(['', 'track']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps the previous results visible while a new search loads', async () => {
    const pending = deferred<ProductSummary[]>();
    const api = mockMarketplaceApi({
      listProducts: jest
        .fn()
        .mockResolvedValueOnce([tracking, payments])
        .mockReturnValueOnce(pending.promise),
    });
    await renderPage(api);
    await screen.findByRole('article', { name: 'Payments' });

    await userEvent.type(screen.getByLabelText('Search APIs'), 'pay');
    await waitFor(() => expect(api.listProducts).toHaveBeenCalledTimes(2));

    expect(screen.getByRole('region', { name: 'APIs' })).toHaveAttribute(
      'aria-busy',
      'true',
    );
    expect(card('Tracking')).toBeInTheDocument();
    expect(card('Payments')).toBeInTheDocument();

    pending.resolve([payments]);
    await waitFor(() => expect(card('Tracking')).not.toBeInTheDocument());
    expect(card('Payments')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'APIs' })).toHaveAttribute(
      'aria-busy',
      'false',
    );
  });

  it('filters by category, status and tag', async () => {
    const api = mockMarketplaceApi({
      listProducts: jest.fn(async ({ category, status, tag } = {}) =>
        [tracking, payments].filter(
          p =>
            (!category || p.category === category) &&
            (!status || p.status === status) &&
            (!tag || p.tags.includes(tag)),
        ),
      ),
    });
    await renderPage(api);
    await screen.findByRole('article', { name: 'Payments' });

    await userEvent.selectOptions(
      screen.getByLabelText('Category'),
      'payments',
    );
    await waitFor(() => expect(card('Tracking')).not.toBeInTheDocument());
    expect(api.listProducts).toHaveBeenLastCalledWith(
      expect.objectContaining({ category: 'payments' }),
    );

    await userEvent.selectOptions(screen.getByLabelText('Category'), '');
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'active');
    await waitFor(() => expect(card('Payments')).not.toBeInTheDocument());
    expect(card('Tracking')).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText('Status'), '');
    await screen.findByRole('article', { name: 'Payments' });
    // Tags of all products seen so far are offered, and clicking one filters.
    await userEvent.click(screen.getByRole('button', { name: 'cards' }));
    await waitFor(() => expect(card('Tracking')).not.toBeInTheDocument());
    expect(screen.getByLabelText('Tag')).toHaveValue('cards');
    expect(api.listProducts).toHaveBeenLastCalledWith({
      q: '',
      category: '',
      status: '',
      tag: 'cards',
    });
  });

  it('shows an empty state that can clear the filters', async () => {
    const api = mockMarketplaceApi({
      listProducts: jest.fn(async ({ category } = {}) =>
        category ? [] : [tracking],
      ),
    });
    await renderPage(api);
    await screen.findByRole('article', { name: 'Tracking' });

    await userEvent.selectOptions(
      screen.getByLabelText('Category'),
      'analytics',
    );
    expect(await screen.findByText('No APIs found')).toBeInTheDocument();
    expect(
      screen.getByText('No published API matches these filters.'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    expect(
      await screen.findByRole('article', { name: 'Tracking' }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Category')).toHaveValue('');
  });

  it('explains how to publish when nothing is published', async () => {
    await renderPage(mockMarketplaceApi());
    expect(await screen.findByText('No APIs found')).toBeInTheDocument();
    expect(screen.getByText(/spec\.marketplace block/)).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Clear filters' }),
    ).not.toBeInTheDocument();
  });

  it('shows an error panel when the list cannot be loaded', async () => {
    const api = mockMarketplaceApi({
      listProducts: jest.fn(async () => {
        throw new Error('backend unavailable');
      }),
    });
    await renderPage(api);
    expect(
      await screen.findByText(/Could not load the APIs/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/backend unavailable/).length).toBeGreaterThan(
      0,
    );
  });

  it('links users without a partner to the onboarding as "Get started"', async () => {
    await renderPage(mockMarketplaceApi());
    const link = await screen.findByText('Get started');
    expect(link.closest('a')).toHaveAttribute(
      'href',
      '/api-marketplace/onboarding',
    );
  });

  it('links partner members to their organisation instead', async () => {
    await renderPage(
      mockMarketplaceApi({
        getMe: jest.fn(async () => ({
          userRef: 'user:default/jane',
          isAdmin: false,
          partner: { ...makePartner(), role: 'owner' },
          invitations: [],
        })),
      }),
    );
    const link = await screen.findByText('Your organisation');
    expect(link.closest('a')).toHaveAttribute(
      'href',
      '/api-marketplace/organization',
    );
    expect(screen.queryByText('Get started')).not.toBeInTheDocument();
  });

  it('still lists the products when the account cannot be loaded', async () => {
    await renderPage(
      mockMarketplaceApi({
        listProducts: jest.fn(async () => [tracking]),
        getMe: jest.fn(async () => {
          throw new Error('down');
        }),
      }),
    );
    expect(await screen.findByText('Tracking')).toBeInTheDocument();
    expect(screen.queryByText('Get started')).not.toBeInTheDocument();
  });
});
