import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import { marketplaceApiRef, MarketplaceApi } from '../../api';
import { makeSpecVersions } from '../../__testUtils__/fixtures';
import { mockMarketplaceApi } from '../../__testUtils__/mockMarketplaceApi';
import { ProductChanges } from './ProductChanges';

async function renderChanges(api: MarketplaceApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[marketplaceApiRef, api]]}>
      <ProductChanges productId="tracking" />
    </TestApiProvider>,
  );
}

describe('ProductChanges', () => {
  it('lists versions newest first with date, breaking badge and change items', async () => {
    const api = mockMarketplaceApi({
      listChanges: jest.fn(async () => makeSpecVersions()),
    });
    await renderChanges(api);

    const sections = await screen.findAllByRole('region', {
      name: /^Version /,
    });
    expect(sections.map(s => s.getAttribute('aria-label'))).toEqual([
      'Version 2.0.0',
      'Version 1.0.0',
    ]);
    expect(api.listChanges).toHaveBeenCalledWith('tracking');

    const latest = within(sections[0]);
    expect(latest.getByText('v2.0.0')).toBeInTheDocument();
    expect(
      latest.getByText('Detected May 1, 2024, 10:00 AM UTC'),
    ).toBeInTheDocument();
    const rows = latest.getAllByRole('row').slice(1);
    expect(
      rows.map(r => [...r.querySelectorAll('td')].map(td => td.textContent)),
    ).toEqual([
      [
        'Operation removed',
        'DELETE /shipments/{id}',
        'The operation was removed',
        'Breaking',
      ],
      [
        'Parameter added',
        'GET /shipments',
        'Optional query parameter "since" was added',
        'no',
      ],
    ]);
    expect(
      latest.getByLabelText('This version breaks existing clients'),
    ).toHaveTextContent('Breaking');

    const first = within(sections[1]);
    expect(
      first.getByText('First version seen by the marketplace.'),
    ).toBeInTheDocument();
    expect(first.queryByText(/breaking/i)).not.toBeInTheDocument();
  });

  it('marks a version without breaking changes as non-breaking', async () => {
    const [, older] = makeSpecVersions();
    await renderChanges(
      mockMarketplaceApi({
        listChanges: jest.fn(async () => [
          {
            specHash: 'hash-3',
            previousHash: 'hash-1',
            version: '1.1.0',
            detectedAt: '2024-02-01T00:00:00.000Z',
            breaking: false,
            changes: [],
          },
          older,
        ]),
      }),
    );
    const latest = within(
      await screen.findByRole('region', { name: 'Version 1.1.0' }),
    );
    expect(
      latest.getByLabelText('This version keeps existing clients working'),
    ).toHaveTextContent('Non-breaking');
    expect(
      latest.getByText(/No change a client would notice/),
    ).toBeInTheDocument();
  });

  it('shows an empty state when only one version is known', async () => {
    const [, only] = makeSpecVersions();
    await renderChanges(
      mockMarketplaceApi({ listChanges: jest.fn(async () => [only]) }),
    );
    expect(await screen.findByText('No changes yet')).toBeInTheDocument();
    expect(
      screen.getByText(/Only v1\.0\.0 \(detected Jan 15, 2024/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows an error panel when the history cannot be loaded', async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'NotFoundError', message: "No product with id 'x'" },
      }),
      { status: 404, headers: { 'content-type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(response);
    await renderChanges(
      mockMarketplaceApi({
        listChanges: jest.fn(async () => {
          throw error;
        }),
      }),
    );
    expect(
      await screen.findByText(/Could not load the changes/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/No product with id 'x'/).length,
    ).toBeGreaterThan(0);
  });
});
