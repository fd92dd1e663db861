import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type {
  ProductDetail,
  ProductOperation,
  ProductOperationSummary,
  ProductSummary,
} from '@portico/plugin-api-marketplace-common';
import {
  marketplaceApiRef,
  MarketplaceApi,
  MarketplaceClient,
} from '../../api';
import {
  makeLargeOperationList,
  makeOperation,
  makeProductDetail,
} from '../../__testUtils__/fixtures';
import {
  deferred,
  mockMarketplaceApi,
} from '../../__testUtils__/mockMarketplaceApi';
import { ProductDocs } from './ProductDocs';
import { OPERATION_PAGE_SIZE } from './OperationList';

const server = setupServer();
registerMswTestHooks(server);

/** The index entry of an operation, as `GET …/operations` sends it. */
const summaryOf = ({
  operationId,
  method,
  path,
  summary,
  tags,
  deprecated,
}: ProductOperation): ProductOperationSummary => ({
  operationId,
  method,
  path,
  summary,
  tags,
  deprecated,
});

/** The product list item of a product: no operations. */
const listItemOf = ({
  operations: _operations,
  ...summary
}: ProductDetail): ProductSummary => summary;

/** A mock API that serves the operations of `detail` like the backend. */
function docsApi(
  detail: ProductDetail = makeProductDetail(),
  overrides: Partial<MarketplaceApi> = {},
) {
  return mockMarketplaceApi({
    listOperations: jest.fn(async () => detail.operations.map(summaryOf)),
    getOperation: jest.fn(async (_id: string, operationId: string) => {
      const operation = detail.operations.find(
        op => op.operationId === operationId,
      );
      if (!operation) throw new Error(`No operation '${operationId}'`);
      return operation;
    }),
    ...overrides,
  });
}

/** The Docs view as the entity page shows it: from the product list item. */
async function renderDocs(
  detail: ProductDetail = makeProductDetail(),
  api: MarketplaceApi = docsApi(detail),
) {
  await renderInTestApp(
    <TestApiProvider apis={[[marketplaceApiRef, api]]}>
      <ProductDocs product={listItemOf(detail)} />
    </TestApiProvider>,
  );
  return api;
}

const rows = () => screen.queryAllByTestId('operation-row');
const codeContaining = (text: string) => (_: string, el: Element | null) =>
  el?.tagName === 'CODE' && (el.textContent ?? '').includes(text);

// Rendering thousands of operations in jsdom is slow on a loaded 2-core CI machine.
jest.setTimeout(60_000);

describe('ProductDocs', () => {
  it('shows method, path, parameters, request body and responses of an operation', async () => {
    await renderDocs();

    await userEvent.click(
      await screen.findByRole('button', { name: 'Shipments (2 operations)' }),
    );
    expect(rows()).toHaveLength(2);

    await userEvent.click(
      screen.getByRole('button', { name: 'GET /shipments/{id}' }),
    );
    const getRow = rows()[0];
    const params = await within(getRow).findByRole('table');
    const cells = within(params).getAllByRole('row')[1].querySelectorAll('td');
    expect([...cells].map(c => c.textContent)).toEqual([
      'id',
      'path',
      'string',
      'yes',
      'PX-1',
      'Shipment id',
    ]);
    expect(
      within(getRow).getByText('200 — The shipment (application/json)'),
    ).toBeInTheDocument();
    expect(
      await within(getRow).findByText(codeContaining('"state": "in-transit"')),
    ).toBeInTheDocument();
    expect(
      within(getRow).getByText('404 — No such shipment'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'POST /shipments' }),
    );
    const postRow = rows()[1];
    expect(
      await within(postRow).findByText('No parameters.'),
    ).toBeInTheDocument();
    expect(
      within(postRow).getByText('application/json, required'),
    ).toBeInTheDocument();
    expect(
      await within(postRow).findByText(codeContaining('"to": "Berlin"')),
    ).toBeInTheDocument();
  });

  it('keeps the DOM bounded for an index of 5,000 operations, fetching none of them', async () => {
    const operations = makeLargeOperationList(5000, 40);
    const api = await renderDocs(
      makeProductDetail({ operations, operationCount: 5000 }),
    );

    expect(
      screen.getByText(/5,000 operations in Tracking/),
    ).toBeInTheDocument();
    // Collapsed groups render no operation at all.
    expect(
      await screen.findAllByRole('button', {
        name: /^Tag \d+ \(125 operations\)$/,
      }),
    ).toHaveLength(40);
    expect(rows()).toHaveLength(0);
    expect(api.listOperations).toHaveBeenCalledTimes(1);

    await userEvent.click(
      screen.getByRole('button', { name: 'Tag 7 (125 operations)' }),
    );
    expect(rows()).toHaveLength(OPERATION_PAGE_SIZE);
    expect(
      screen.getByRole('button', { name: 'POST /items/7' }),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Show 50 more (75 not shown)' }),
    );
    expect(rows()).toHaveLength(2 * OPERATION_PAGE_SIZE);

    // A search matching everything still renders only one page.
    await userEvent.type(
      screen.getByLabelText('Search operations'),
      'operation number',
    );
    // Searching 5,000 operations on a loaded machine takes a while.
    expect(
      await screen.findByText(
        '5,000 operations match',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(rows()).toHaveLength(OPERATION_PAGE_SIZE);
    // Listing, paging and searching the index fetched no operation.
    expect(api.getOperation).not.toHaveBeenCalled();
  }, 60_000);

  it('searches by path, operation id and summary across groups', async () => {
    const operations = makeLargeOperationList(5000, 40);
    await renderDocs(makeProductDetail({ operations }));
    await screen.findByRole('button', { name: 'Tag 0 (125 operations)' });

    await userEvent.type(screen.getByLabelText('Search operations'), 'op4999');
    expect(
      await screen.findByText('1 operation matches', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(rows()).toHaveLength(1);
    expect(
      screen.getByRole('button', { name: 'POST /items/4999' }),
    ).toBeInTheDocument();

    await userEvent.clear(screen.getByLabelText('Search operations'));
    await userEvent.type(
      screen.getByLabelText('Search operations'),
      'get items/12',
    );
    // GET /items/12 and GET /items/120..128 (even numbers are GETs).
    await waitFor(
      () =>
        expect(
          screen.getByRole('button', { name: 'GET /items/12' }),
        ).toBeInTheDocument(),
      { timeout: 10_000 },
    );
    expect(
      rows().every(row => /^GET\/items\/12/.test(row.textContent ?? '')),
    ).toBe(true);
    expect(
      screen.queryByRole('button', { name: 'POST /items/121' }),
    ).not.toBeInTheDocument();

    await userEvent.clear(screen.getByLabelText('Search operations'));
    await userEvent.type(screen.getByLabelText('Search operations'), 'zzz');
    expect(
      await screen.findByText(
        'No matching operations',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(rows()).toHaveLength(0);
  }, 60_000);

  it('loads code samples only when asked and shows them per language', async () => {
    const api = docsApi(makeProductDetail(), {
      getSnippets: jest.fn(async (_id: string, operationId: string) => ({
        operationId,
        snippets: [
          {
            language: 'curl',
            label: 'cURL',
            code: "curl -H 'X-API-Key: $API_KEY' https://api.example.com/shipments/PX-1",
          },
          {
            language: 'javascript',
            label: 'JavaScript (fetch)',
            code: 'await fetch("https://api.example.com/shipments/PX-1")',
          },
          {
            language: 'python',
            label: 'Python (requests)',
            code: 'requests.get("https://api.example.com/shipments/PX-1")',
          },
        ],
      })),
    });
    await renderDocs(makeProductDetail(), api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Shipments (2 operations)' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'GET /shipments/{id}' }),
    );
    expect(api.getSnippets).not.toHaveBeenCalled();

    await userEvent.click(
      await screen.findByRole('button', { name: 'Show code samples' }),
    );
    expect(api.getSnippets).toHaveBeenCalledWith('tracking', 'getShipment');
    expect(
      await screen.findByText(codeContaining("curl -H 'X-API-Key")),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'cURL' })).toHaveAttribute(
      'aria-selected',
      'true',
    );

    await userEvent.click(
      screen.getByRole('tab', { name: 'Python (requests)' }),
    );
    expect(
      await screen.findByText(codeContaining('requests.get(')),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(codeContaining("curl -H 'X-API-Key")),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'JavaScript (fetch)' }),
    ).toBeInTheDocument();
  });

  it('shows an error and lets the reader retry when code samples fail', async () => {
    const api = docsApi(makeProductDetail(), {
      getSnippets: jest
        .fn()
        .mockRejectedValueOnce(new Error('snippet service down'))
        .mockResolvedValueOnce({
          operationId: 'getShipment',
          snippets: [{ language: 'curl', label: 'cURL', code: 'curl ok' }],
        }),
    });
    await renderDocs(makeProductDetail(), api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Shipments (2 operations)' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'GET /shipments/{id}' }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Show code samples' }),
    );
    expect(
      await screen.findByText(/Could not load code samples/),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText(codeContaining('curl ok')),
    ).toBeInTheDocument();
  });

  it('says so when a spec has no operations', async () => {
    await renderDocs(makeProductDetail({ operations: [], operationCount: 0 }));
    expect(await screen.findByText('No operations')).toBeInTheDocument();
  });

  it('fetches an operation once, when it is first opened, with progress while it loads', async () => {
    const detail = makeProductDetail();
    const [getShipment] = detail.operations;
    const pending = deferred<ProductOperation>();
    const fromIndex = docsApi(detail);
    const api = docsApi(detail, {
      getOperation: jest.fn(async (id: string, operationId: string) =>
        operationId === 'getShipment'
          ? pending.promise
          : fromIndex.getOperation(id, operationId),
      ),
    });
    await renderDocs(detail, api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Shipments (2 operations)' }),
    );
    expect(api.listOperations).toHaveBeenCalledWith('tracking');
    expect(api.getOperation).not.toHaveBeenCalled();

    await userEvent.click(
      screen.getByRole('button', { name: 'GET /shipments/{id}' }),
    );
    expect(api.getOperation).toHaveBeenCalledTimes(1);
    expect(api.getOperation).toHaveBeenCalledWith('tracking', 'getShipment');
    expect(
      await screen.findByRole('progressbar', {
        name: 'Loading GET /shipments/{id}',
      }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Shipment id')).not.toBeInTheDocument();

    pending.resolve(getShipment);
    expect(await screen.findByText('Shipment id')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();

    // Closed and opened again: from the cache, at once.
    await userEvent.click(
      screen.getByRole('button', { name: 'GET /shipments/{id}' }),
    );
    await waitFor(() =>
      expect(screen.queryByText('Shipment id')).not.toBeInTheDocument(),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'GET /shipments/{id}' }),
    );
    expect(screen.getByText('Shipment id')).toBeInTheDocument();

    // The same operation found by search is the same cached operation.
    await userEvent.type(
      screen.getByLabelText('Search operations'),
      'getShipment',
    );
    expect(await screen.findByText('1 operation matches')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'GET /shipments/{id}' }),
    );
    expect(screen.getByText('Shipment id')).toBeInTheDocument();
    expect(api.getOperation).toHaveBeenCalledTimes(1);

    // Another operation is another fetch.
    await userEvent.clear(screen.getByLabelText('Search operations'));
    await userEvent.type(screen.getByLabelText('Search operations'), 'POST');
    await userEvent.click(
      await screen.findByRole('button', { name: 'POST /shipments' }),
    );
    expect(
      await screen.findByText('application/json, required'),
    ).toBeInTheDocument();
    expect(api.getOperation).toHaveBeenCalledTimes(2);
    expect(api.getOperation).toHaveBeenLastCalledWith(
      'tracking',
      'createShipment',
    );
  });

  it('shows a failed operation inline and fetches it again on retry', async () => {
    const detail = makeProductDetail();
    const fromIndex = docsApi(detail);
    const api = docsApi(detail, {
      getOperation: jest
        .fn()
        .mockRejectedValueOnce(new Error('spec is being re-read'))
        .mockImplementation(fromIndex.getOperation),
    });
    await renderDocs(detail, api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Shipments (2 operations)' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'GET /shipments/{id}' }),
    );

    const getRow = rows()[0];
    expect(
      await within(getRow).findByText(/Could not load this operation/),
    ).toBeInTheDocument();
    expect(
      within(getRow).getAllByText(/spec is being re-read/).length,
    ).toBeGreaterThan(0);
    // Only that operation failed; the others still open.
    await userEvent.click(
      screen.getByRole('button', { name: 'POST /shipments' }),
    );
    expect(
      await within(rows()[1]).findByText('No parameters.'),
    ).toBeInTheDocument();

    await userEvent.click(
      within(getRow).getByRole('button', { name: 'Retry' }),
    );
    expect(await within(getRow).findByText('Shipment id')).toBeInTheDocument();
    expect(api.getOperation).toHaveBeenCalledTimes(3);
  });

  it('shows an error and lets the reader retry when the operation index fails', async () => {
    const detail = makeProductDetail();
    const api = docsApi(detail, {
      listOperations: jest
        .fn()
        .mockRejectedValueOnce(new Error('catalog is rebuilding'))
        .mockResolvedValueOnce(detail.operations.map(summaryOf)),
    });
    await renderDocs(detail, api);
    expect(
      await screen.findByText(/Could not load the operations/),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('button', { name: 'Shipments (2 operations)' }),
    ).toBeInTheDocument();
    expect(api.listOperations).toHaveBeenCalledTimes(2);
  });

  it('shows a product that carries its operations without fetching any', async () => {
    const api = mockMarketplaceApi();
    await renderInTestApp(
      <TestApiProvider apis={[[marketplaceApiRef, api]]}>
        <ProductDocs product={makeProductDetail()} />
      </TestApiProvider>,
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Shipments (2 operations)' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'GET /shipments/{id}' }),
    );
    expect(screen.getByText('Shipment id')).toBeInTheDocument();
    expect(api.listOperations).not.toHaveBeenCalled();
    expect(api.getOperation).not.toHaveBeenCalled();
  });

  it('asks the backend for the index, then for one operation by its URL-encoded id', async () => {
    const base = 'http://example.com/api/api-marketplace';
    const operation = makeOperation({
      operationId: 'repos/get-content',
      path: '/repos/{owner}/{repo}/contents/{path}',
      tags: ['repos'],
    });
    const requested: string[] = [];
    server.use(
      http.get(`${base}/v1/products/tracking/operations`, ({ request }) => {
        requested.push(new URL(request.url).pathname);
        return HttpResponse.json({ items: [summaryOf(operation)] });
      }),
      http.get(
        `${base}/v1/products/tracking/operations/:operationId`,
        ({ request }) => {
          requested.push(new URL(request.url).pathname);
          return HttpResponse.json(operation);
        },
      ),
    );
    const client = new MarketplaceClient({
      discoveryApi: mockApis.discovery(),
      fetchApi: new MockFetchApi(),
    });
    await renderDocs(makeProductDetail({ operations: [operation] }), client);

    await userEvent.click(
      await screen.findByRole('button', { name: 'repos (1 operations)' }),
    );
    expect(requested).toEqual([
      '/api/api-marketplace/v1/products/tracking/operations',
    ]);
    await userEvent.click(
      screen.getByRole('button', {
        name: 'GET /repos/{owner}/{repo}/contents/{path}',
      }),
    );
    expect(await screen.findByText('Shipment id')).toBeInTheDocument();
    expect(requested).toEqual([
      '/api/api-marketplace/v1/products/tracking/operations',
      '/api/api-marketplace/v1/products/tracking/operations/repos%2Fget-content',
    ]);
  });
});
