import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { UsageReport } from '@portico/plugin-api-marketplace-common';
import { marketplaceApiRef, MarketplaceClient } from '../../api';
import { makeProduct } from '../../__testUtils__/fixtures';
import { chartData, periodRange, UsagePanel } from './UsagePanel';

const base = 'http://example.com/api/api-marketplace/v1';
const server = setupServer();
registerMswTestHooks(server);

// 10:30 UTC: the current hour bucket is 10:00–11:00.
const NOW = Date.parse('2024-05-02T10:30:00.000Z');

const report: UsageReport = {
  partnerId: 'p-1',
  from: '2024-05-01T11:00:00.000Z',
  to: '2024-05-02T11:00:00.000Z',
  granularity: 'hour',
  live: true,
  items: [
    {
      bucketStart: '2024-05-02T09:00:00.000Z',
      productId: 'tracking',
      environment: 'sandbox',
      calls: 40,
      billableCalls: 0,
      statusClasses: { '2xx': 38, '3xx': 0, '4xx': 2, '5xx': 0 },
    },
    {
      bucketStart: '2024-05-02T10:00:00.000Z',
      productId: 'tracking',
      environment: 'production',
      calls: 1200,
      billableCalls: 1195,
      statusClasses: { '2xx': 1190, '3xx': 0, '4xx': 5, '5xx': 5 },
      latencyP50Ms: 12,
      latencyP99Ms: 80,
    },
  ],
  totals: [
    {
      productId: 'tracking',
      environment: 'production',
      plan: 'free',
      calls: 1200,
      billableCalls: 1195,
      monthlyQuota: 2000,
      quotaRemaining: 700,
    },
    {
      productId: 'tracking',
      environment: 'sandbox',
      plan: 'free',
      calls: 40,
      billableCalls: 0,
    },
    {
      productId: 'payments',
      environment: 'production',
      plan: 'starter',
      calls: 0,
      billableCalls: 0,
      includedCalls: 100000,
    },
  ],
};

function client() {
  return new MarketplaceClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi({ injectIdentityAuth: { token: 'user-token' } }),
  });
}

function serve(usage: (url: URL) => Response | Promise<Response>) {
  const seen: URL[] = [];
  server.use(
    http.get(`${base}/products`, () =>
      HttpResponse.json({
        items: [
          makeProduct({ title: 'Shipment Tracking' }),
          makeProduct({ id: 'payments', title: 'Payments' }),
        ],
      }),
    ),
    http.get(`${base}/usage`, ({ request }) => {
      const url = new URL(request.url);
      seen.push(url);
      return usage(url);
    }),
  );
  return seen;
}

async function renderPanel() {
  return renderInTestApp(
    <TestApiProvider apis={[[marketplaceApiRef, client()]]}>
      <UsagePanel now={() => NOW} />
    </TestApiProvider>,
  );
}

describe('UsagePanel', () => {
  it('asks for the last 24 whole hours and shows totals, quota and a chart', async () => {
    const seen = serve(() => HttpResponse.json(report));
    await renderPanel();

    expect(await screen.findByText('1,240 calls')).toBeInTheDocument();
    expect(screen.getByText('1,195 billable')).toBeInTheDocument();
    expect(screen.getByText('Live')).toBeInTheDocument();
    expect(seen[0].searchParams.get('granularity')).toBe('hour');
    expect(seen[0].searchParams.get('from')).toBe('2024-05-01T11:00:00.000Z');
    expect(seen[0].searchParams.get('to')).toBe('2024-05-02T11:00:00.000Z');

    const rows = screen.getAllByRole('row');
    const production = rows.find(
      r =>
        r.textContent?.includes('production') &&
        r.textContent.includes('Shipment Tracking'),
    )!;
    expect(production).toHaveTextContent('1,200');
    expect(production).toHaveTextContent('1,195');
    expect(production).toHaveTextContent('1,300 of 2,000 used · 700 left');
    expect(
      within(production).getByRole('progressbar', {
        name: 'Quota used for tracking (production)',
      }),
    ).toHaveAttribute('aria-valuenow', '65');
    const payments = rows.find(r => r.textContent?.includes('Payments'))!;
    expect(payments).toHaveTextContent('starter');
    expect(payments).toHaveTextContent('100,000 calls included per month');

    expect(
      screen.getByRole('img', { name: 'Calls per hour' }),
    ).toBeInTheDocument();
  });

  it('asks again for the period picked', async () => {
    const seen = serve(() => HttpResponse.json(report));
    await renderPanel();
    await screen.findByText('1,240 calls');
    fireEvent.mouseDown(screen.getByRole('button', { name: /Period/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Last 30 days' }),
    );
    await waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[1].searchParams.get('granularity')).toBe('day');
    expect(seen[1].searchParams.get('from')).toBe('2024-04-03T00:00:00.000Z');
    expect(seen[1].searchParams.get('to')).toBe('2024-05-03T00:00:00.000Z');
  });

  it('shows an empty state before the first call', async () => {
    serve(() =>
      HttpResponse.json({ ...report, items: [], totals: [], live: false }),
    );
    await renderPanel();
    expect(await screen.findByText('No calls yet')).toBeInTheDocument();
  });

  it('shows the load error', async () => {
    serve(() =>
      HttpResponse.json(
        {
          error: { name: 'NotAllowedError', message: 'Not a partner member' },
          response: { statusCode: 403 },
        },
        { status: 403 },
      ),
    );
    await renderPanel();
    expect(
      await screen.findByText(/Could not load the usage/),
    ).toBeInTheDocument();
  });
});

describe('chartData', () => {
  it('has every bucket of the period, zero where nothing was called', () => {
    const { rows, series } = chartData(
      report,
      new Map([['tracking', 'Shipment Tracking']]),
    );
    expect(series.map(s => s.label)).toEqual([
      'Shipment Tracking (production)',
      'Shipment Tracking (sandbox)',
    ]);
    expect(rows).toHaveLength(24);
    expect(rows[22]).toEqual({
      t: Date.parse('2024-05-02T09:00:00.000Z'),
      'tracking · production': 0,
      'tracking · sandbox': 40,
    });
    expect(rows[23]['tracking · production']).toBe(1200);
  });

  it('ends the period with the current bucket', () => {
    expect(periodRange('7d', NOW)).toEqual({
      from: '2024-04-25T11:00:00.000Z',
      to: '2024-05-02T11:00:00.000Z',
      granularity: 'hour',
    });
  });
});
