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
import type {
  ProductDetail,
  SandboxTryRequest,
  SandboxTryResponse,
} from '@portico/plugin-api-marketplace-common';
import { marketplaceApiRef, MarketplaceClient } from '../../api';
import {
  makeIssuedKey,
  makeKey,
  makeOperation,
  makePartner,
  makeProductDetail,
} from '../../__testUtils__/fixtures';
import { TRY_IT_HISTORY_STORAGE_KEY } from '../../lib/tryItHistory';
import { rootRouteRef } from '../../routes';
import { TryItConsole } from './TryItConsole';

const base = 'http://example.com/api/api-marketplace/v1';
const server = setupServer();
registerMswTestHooks(server);

const product: ProductDetail = makeProductDetail({
  operations: [
    makeOperation({
      parameters: [
        {
          name: 'id',
          in: 'path',
          required: true,
          type: 'string',
          example: 'PX-1',
          description: 'Shipment id',
        },
        {
          name: 'fields',
          in: 'query',
          required: false,
          type: 'array',
          example: ['id', 'state'],
        },
        { name: 'X-Request-Id', in: 'header', required: false },
        { name: 'session', in: 'cookie', required: false },
      ],
    }),
    makeOperation({
      operationId: 'createShipment',
      method: 'post',
      path: '/shipments',
      summary: 'Create a shipment',
      parameters: [],
      requestBody: {
        contentType: 'application/json',
        required: true,
        example: { to: 'Berlin', parcels: [{ weightKg: 2 }] },
      },
    }),
  ],
});

const curl = [
  'curl --request GET',
  "--url 'https://sandbox.example.com/tracking/shipments/PX-1?fields=id&fields=state'",
  '--header "Authorization: Bearer $PORTICO_KEY"',
  "--header 'accept: application/json'",
].join(' \\\n  ');

const okResponse: SandboxTryResponse = {
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'x-request-id': 'req-42' },
  body: '{"id":"PX-1","state":"in-transit","isExample":true}',
  latencyMs: 42.4,
  size: 1536,
  truncated: true,
  curl,
};

type Handlers = {
  keys?: ReturnType<typeof makeKey>[];
  partner?: boolean;
  tryIt?: (body: SandboxTryRequest) => Response;
};

function serve(options: Handlers = {}) {
  const sent: SandboxTryRequest[] = [];
  const created: unknown[] = [];
  let keys = options.keys ?? [];
  server.use(
    http.get(`${base}/me`, () =>
      HttpResponse.json({
        userRef: 'user:default/jane',
        isAdmin: false,
        invitations: [],
        ...(options.partner === false
          ? {}
          : { partner: { ...makePartner(), role: 'owner' } }),
      }),
    ),
    http.get(`${base}/products`, () => HttpResponse.json({ items: [product] })),
    http.get(`${base}/keys`, () => HttpResponse.json({ items: keys })),
    http.post(`${base}/keys`, async ({ request }) => {
      const body = await request.json();
      created.push(body);
      const issued = makeIssuedKey({
        id: 'k-new',
        name: 'Try it: Tracking',
        prefix: 'sk_test_new',
        key: 'sk_test_new_secret',
        createdAt: '2024-06-01T00:00:00.000Z',
      });
      const { key: _secret, ...listed } = issued;
      keys = [...keys, listed];
      return HttpResponse.json(issued, { status: 201 });
    }),
    http.post(`${base}/sandbox/try`, async ({ request }) => {
      const body = (await request.json()) as SandboxTryRequest;
      sent.push(body);
      return options.tryIt
        ? options.tryIt(body)
        : HttpResponse.json(okResponse);
    }),
  );
  return { sent, created };
}

async function renderConsole() {
  const client = new MarketplaceClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi({ injectIdentityAuth: { token: 'user-token' } }),
  });
  return renderInTestApp(
    <TestApiProvider apis={[[marketplaceApiRef, client]]}>
      <TryItConsole product={product} />
    </TestApiProvider>,
    { mountedRoutes: { '/api-marketplace': rootRouteRef } },
  );
}

const sandboxKey = makeKey({
  id: 'k-1',
  name: 'Sandbox key',
  prefix: 'sk_test_ab12',
  createdAt: '2024-05-01T10:00:00.000Z',
});
const otherKeys = [
  makeKey({ id: 'k-prod', name: 'Live key', environment: 'production' }),
  makeKey({ id: 'k-revoked', name: 'Old key', status: 'revoked' }),
  makeKey({ id: 'k-other', name: 'Payments key', productIds: ['payments'] }),
];

/** The key the picker shows as chosen. */
function pickedKey() {
  return screen.getByRole('button', { name: /Sandbox key/ });
}

describe('TryItConsole', () => {
  beforeEach(() => window.localStorage.clear());

  it('pre-fills the form from the spec and switches operations', async () => {
    serve({ keys: [sandboxKey] });
    await renderConsole();

    expect(screen.getByLabelText('Operation')).toHaveValue(
      'GET /shipments/{id}',
    );
    expect(screen.getByLabelText(/^id/)).toHaveValue('PX-1');
    expect(screen.getByLabelText(/^fields/)).toHaveValue('id,state');
    expect(screen.getByLabelText(/^X-Request-Id/)).toHaveValue('');
    expect(screen.queryByLabelText(/^session/)).not.toBeInTheDocument();
    expect(screen.getByText(/path · string — Shipment id/)).toBeInTheDocument();

    await userEvent.click(screen.getByLabelText('Operation'));
    await userEvent.click(
      await screen.findByRole('option', { name: /POST \/shipments/ }),
    );
    expect(screen.getByLabelText('Operation')).toHaveValue('POST /shipments');
    expect(screen.queryByLabelText(/^id/)).not.toBeInTheDocument();
    expect(
      (
        screen.getByLabelText(
          /Body \(application\/json\)/,
        ) as HTMLTextAreaElement
      ).value,
    ).toBe(
      JSON.stringify({ to: 'Berlin', parcels: [{ weightKg: 2 }] }, null, 2),
    );
  });

  it('offers only active sandbox keys of this API and sends the key by id, never its secret', async () => {
    const { sent } = serve({ keys: [...otherKeys, sandboxKey] });
    await renderConsole();

    await waitFor(() =>
      expect(pickedKey()).toHaveTextContent('Sandbox key (sk_test_ab12…)'),
    );
    fireEvent.mouseDown(pickedKey());
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'Sandbox key (sk_test_ab12…)',
      'Paste a key…',
    ]);
    await userEvent.click(options[0]);

    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      productId: 'tracking',
      operationId: 'getShipment',
      pathParams: { id: 'PX-1' },
      query: { fields: ['id', 'state'] },
      keyId: 'k-1',
    });
    expect(JSON.stringify(sent[0])).not.toContain('secret');
  });

  it('shows status, latency, size, headers, the pretty body and this request as code', async () => {
    serve({ keys: [sandboxKey] });
    await renderConsole();
    await waitFor(() => expect(pickedKey()).toHaveTextContent('Sandbox key'));
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));

    const summary = await screen.findByRole('group', {
      name: 'Response summary',
    });
    expect(summary).toHaveTextContent('Status 200');
    expect(summary).toHaveTextContent('42 ms');
    expect(summary).toHaveTextContent('1.5 KB');
    expect(screen.getByText(/The body was cut/)).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Response body' }),
    ).toHaveTextContent('"state": "in-transit"');

    await userEvent.click(screen.getByRole('tab', { name: 'Headers (2)' }));
    const headers = screen.getByRole('table', { name: 'Response headers' });
    expect(headers).toHaveTextContent('x-request-id');
    expect(headers).toHaveTextContent('req-42');

    // Highlighting splits the code into spans: read the card's text.
    const code = () =>
      screen.getByText('This request as code').closest('.MuiCard-root')!;
    expect(code()).toHaveTextContent(
      '--header "Authorization: Bearer $PORTICO_KEY"',
    );
    await userEvent.click(screen.getByRole('tab', { name: 'JavaScript' }));
    expect(code()).toHaveTextContent(
      'fetch("https://sandbox.example.com/tracking/shipments/PX-1?fields=id&fields=state"',
    );
    expect(code()).toHaveTextContent(
      '"Authorization": `Bearer ${PORTICO_KEY}`',
    );
    await userEvent.click(screen.getByRole('tab', { name: 'Python' }));
    expect(code()).toHaveTextContent(
      'response = requests.request("GET", "https://sandbox.example.com/tracking/shipments/PX-1?fields=id&fields=state", headers=headers, timeout=30)',
    );
  });

  it('shows the problem with its code when the backend refuses the call', async () => {
    serve({
      keys: [sandboxKey],
      tryIt: () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              code: 'live_key_refused',
              message:
                'Try it calls the sandbox only: use a sandbox (sk_test_) key',
            },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
    });
    await renderConsole();
    await waitFor(() => expect(pickedKey()).toHaveTextContent('Sandbox key'));
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('live_key_refused · HTTP 400');
    expect(alert).toHaveTextContent(
      'Try it calls the sandbox only: use a sandbox (sk_test_) key',
    );
    expect(
      screen.queryByRole('group', { name: 'Response summary' }),
    ).not.toBeInTheDocument();
  });

  it('says what the form lacks without calling the backend', async () => {
    const { sent } = serve({ keys: [sandboxKey] });
    await renderConsole();
    await waitFor(() => expect(pickedKey()).toHaveTextContent('Sandbox key'));
    await userEvent.clear(screen.getByLabelText(/^id/));
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Fill in the required parameter: id',
    );
    expect(sent).toHaveLength(0);
  });

  it('keeps the last calls in localStorage, without a pasted key, and refills the form from one', async () => {
    const { sent } = serve({ keys: [sandboxKey] });
    await renderConsole();
    await waitFor(() => expect(pickedKey()).toHaveTextContent('Sandbox key'));

    // A pasted key is sent for that call only.
    fireEvent.mouseDown(pickedKey());
    await userEvent.click(
      await screen.findByRole('option', { name: 'Paste a key…' }),
    );
    await userEvent.type(
      screen.getByLabelText('Pasted key'),
      'sk_test_pasted_secret',
    );
    await userEvent.clear(screen.getByLabelText(/^id/));
    await userEvent.type(screen.getByLabelText(/^id/), 'PX-9');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].key).toBe('sk_test_pasted_secret');
    expect(sent[0].keyId).toBeUndefined();

    const history = within(
      await screen.findByRole('list', { name: 'Call history' }),
    );
    const item = history.getByRole('button', {
      name: 'GET /shipments/{id} → 200 · 42 ms',
    });
    const stored = window.localStorage.getItem(TRY_IT_HISTORY_STORAGE_KEY)!;
    expect(JSON.parse(stored)).toHaveLength(1);
    expect(stored).toContain('PX-9');
    expect(stored).not.toContain('sk_test_pasted_secret');

    await userEvent.clear(screen.getByLabelText(/^id/));
    await userEvent.click(item);
    expect(screen.getByLabelText(/^id/)).toHaveValue('PX-9');

    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(window.localStorage.getItem(TRY_IT_HISTORY_STORAGE_KEY)).toBe('[]');
  });

  it('keeps only the last 10 calls', async () => {
    const { sent } = serve({ keys: [sandboxKey] });
    await renderConsole();
    await waitFor(() => expect(pickedKey()).toHaveTextContent('Sandbox key'));
    const send = screen.getByRole('button', { name: 'Send' });
    for (let i = 1; i <= 11; i++) {
      await userEvent.click(send);
      await waitFor(() => expect(sent).toHaveLength(i));
      await waitFor(() => expect(send).toBeEnabled());
    }
    await waitFor(() =>
      expect(
        JSON.parse(window.localStorage.getItem(TRY_IT_HISTORY_STORAGE_KEY)!),
      ).toHaveLength(10),
    );
    expect(
      within(screen.getByRole('list', { name: 'Call history' })).getAllByRole(
        'button',
      ),
    ).toHaveLength(10);
  }, 60_000);

  it('creates a sandbox key scoped to the API when there is none, and picks it', async () => {
    const { created } = serve({ keys: [] });
    await renderConsole();
    expect(
      await screen.findByText('You have no active sandbox key for Tracking.'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Create a sandbox key' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText('Tracking')).toBeChecked();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create' }),
    );

    expect(created).toEqual([
      {
        name: 'Try it: Tracking',
        productIds: ['tracking'],
        environment: 'sandbox',
      },
    ]);
    expect(
      await screen.findByRole('region', { name: 'New API key' }),
    ).toHaveTextContent('sk_test_new_secret');
    await waitFor(() =>
      expect(pickedKey()).toHaveTextContent('Try it: Tracking (sk_test_new…)'),
    );
  });

  it('offers onboarding to a user without an organisation', async () => {
    serve({ partner: false });
    await renderConsole();
    expect(
      await screen.findByText(/Create your organisation to get a sandbox key/),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Get started' })).toHaveAttribute(
      'href',
      '/api-marketplace/onboarding',
    );
  });
});
