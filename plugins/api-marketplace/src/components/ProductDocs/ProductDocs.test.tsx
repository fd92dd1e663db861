import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { marketplaceApiRef, MarketplaceApi } from '../../api';
import {
  makeLargeOperationList,
  makeProductDetail,
} from '../../__testUtils__/fixtures';
import { mockMarketplaceApi } from '../../__testUtils__/mockMarketplaceApi';
import { ProductDocs } from './ProductDocs';
import { OPERATION_PAGE_SIZE } from './OperationList';

async function renderDocs(
  product = makeProductDetail(),
  api: MarketplaceApi = mockMarketplaceApi(),
) {
  return renderInTestApp(
    <TestApiProvider apis={[[marketplaceApiRef, api]]}>
      <ProductDocs product={product} />
    </TestApiProvider>,
  );
}

const rows = () => screen.queryAllByTestId('operation-row');
const codeContaining = (text: string) => (_: string, el: Element | null) =>
  el?.tagName === 'CODE' && (el.textContent ?? '').includes(text);

// Rendering thousands of operations in jsdom is slow on a loaded 2-core CI machine.
jest.setTimeout(60_000);

describe('ProductDocs', () => {
  it('shows method, path, parameters, request body and responses of an operation', async () => {
    await renderDocs();

    expect(rows()).toHaveLength(0);
    await userEvent.click(
      screen.getByRole('button', { name: 'Shipments (2 operations)' }),
    );
    expect(rows()).toHaveLength(2);

    await userEvent.click(
      screen.getByRole('button', { name: 'GET /shipments/{id}' }),
    );
    const getRow = rows()[0];
    const params = within(getRow).getByRole('table');
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
    expect(within(postRow).getByText('No parameters.')).toBeInTheDocument();
    expect(
      within(postRow).getByText('application/json, required'),
    ).toBeInTheDocument();
    expect(
      await within(postRow).findByText(codeContaining('"to": "Berlin"')),
    ).toBeInTheDocument();
  });

  it('keeps the DOM bounded for a spec with 5,000 operations', async () => {
    const operations = makeLargeOperationList(5000, 40);
    await renderDocs(makeProductDetail({ operations, operationCount: 5000 }));

    expect(
      screen.getByText(/5,000 operations in Tracking/),
    ).toBeInTheDocument();
    // Collapsed groups render no operation at all.
    expect(rows()).toHaveLength(0);
    expect(
      screen.getAllByRole('button', { name: /^Tag \d+ \(125 operations\)$/ }),
    ).toHaveLength(40);

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
    expect(
      await screen.findByText('5,000 operations match'),
    ).toBeInTheDocument();
    expect(rows()).toHaveLength(OPERATION_PAGE_SIZE);
  }, 20_000);

  it('searches by path, operation id and summary across groups', async () => {
    const operations = makeLargeOperationList(5000, 40);
    await renderDocs(makeProductDetail({ operations }));

    await userEvent.type(screen.getByLabelText('Search operations'), 'op4999');
    expect(await screen.findByText('1 operation matches')).toBeInTheDocument();
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
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'GET /items/12' }),
      ).toBeInTheDocument(),
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
      await screen.findByText('No matching operations'),
    ).toBeInTheDocument();
    expect(rows()).toHaveLength(0);
  });

  it('loads code samples only when asked and shows them per language', async () => {
    const api = mockMarketplaceApi({
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
      screen.getByRole('button', { name: 'Shipments (2 operations)' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'GET /shipments/{id}' }),
    );
    expect(api.getSnippets).not.toHaveBeenCalled();

    await userEvent.click(
      screen.getByRole('button', { name: 'Show code samples' }),
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
    const api = mockMarketplaceApi({
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
      screen.getByRole('button', { name: 'Shipments (2 operations)' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'GET /shipments/{id}' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Show code samples' }),
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
    expect(screen.getByText('No operations')).toBeInTheDocument();
  });
});
