import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { marketplaceApiRef, MarketplaceClient } from '../../api';
import { deferred } from '../../__testUtils__/mockMarketplaceApi';
import { ProductDownloads } from './ProductDownloads';

const base = 'http://example.com/api/api-marketplace/v1/products';
const server = setupServer();
registerMswTestHooks(server);

type Saved = { filename: string; href: string; content: string };

describe('ProductDownloads', () => {
  let saved: Promise<Saved>[];
  let blobs: Map<string, Blob>;

  beforeEach(() => {
    saved = [];
    blobs = new Map();
    let n = 0;
    jest.spyOn(URL, 'createObjectURL').mockImplementation(blob => {
      const url = `blob:http://localhost/${++n}`;
      blobs.set(url, blob as Blob);
      return url;
    });
    jest.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function click(this: HTMLAnchorElement) {
        const { download, href } = this;
        saved.push(
          blobs
            .get(href)!
            .text()
            .then(content => ({ filename: download, href, content })),
        );
      });
  });

  afterEach(() => jest.restoreAllMocks());

  async function renderDownloads() {
    const client = new MarketplaceClient({
      discoveryApi: mockApis.discovery(),
      fetchApi: new MockFetchApi({
        injectIdentityAuth: { token: 'user-token' },
      }),
    });
    return renderInTestApp(
      <TestApiProvider apis={[[marketplaceApiRef, client]]}>
        <ProductDownloads productId="tracking" />
      </TestApiProvider>,
    );
  }

  const authorized = (request: Request) =>
    request.headers.get('authorization') === 'Bearer user-token';

  it('saves the Postman collection under <id>.postman_collection.json', async () => {
    server.use(
      http.get(`${base}/tracking/postman`, ({ request }) =>
        authorized(request)
          ? HttpResponse.json({ info: { name: 'Tracking' } })
          : new HttpResponse(null, { status: 401 }),
      ),
    );
    await renderDownloads();
    await userEvent.click(
      screen.getByRole('button', { name: 'Postman collection' }),
    );

    await waitFor(() => expect(saved).toHaveLength(1));
    const file = await saved[0];
    expect(file.filename).toBe('tracking.postman_collection.json');
    expect(JSON.parse(file.content)).toEqual({ info: { name: 'Tracking' } });
    await waitFor(() =>
      expect(URL.revokeObjectURL).toHaveBeenCalledWith(file.href),
    );
  });

  it('saves the TypeScript client under <id>-client.ts', async () => {
    server.use(
      http.get(`${base}/tracking/sdk/typescript`, ({ request }) =>
        authorized(request)
          ? HttpResponse.text('export function createClient() {}')
          : new HttpResponse(null, { status: 401 }),
      ),
    );
    await renderDownloads();
    await userEvent.click(
      screen.getByRole('button', { name: 'TypeScript client' }),
    );

    await waitFor(() => expect(saved).toHaveLength(1));
    expect(await saved[0]).toEqual(
      expect.objectContaining({
        filename: 'tracking-client.ts',
        content: 'export function createClient() {}',
      }),
    );
  });

  it('disables the buttons while a download is running', async () => {
    const release = deferred<void>();
    server.use(
      http.get(`${base}/tracking/postman`, async () => {
        await release.promise;
        return HttpResponse.json({ info: { name: 'Tracking' } });
      }),
    );
    await renderDownloads();
    await userEvent.click(
      screen.getByRole('button', { name: 'Postman collection' }),
    );

    expect(
      await screen.findByLabelText('Downloading Postman collection'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'TypeScript client' }),
    ).toBeDisabled();

    release.resolve();
    await waitFor(() => expect(saved).toHaveLength(1));
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'TypeScript client' }),
      ).toBeEnabled(),
    );
  });

  it('shows why a download failed and saves nothing', async () => {
    server.use(
      http.get(`${base}/tracking/sdk/typescript`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: "No product with id 'tracking'",
            },
          },
          { status: 404 },
        ),
      ),
    );
    await renderDownloads();
    await userEvent.click(
      screen.getByRole('button', { name: 'TypeScript client' }),
    );

    expect(await screen.findByText(/Download failed/)).toBeInTheDocument();
    expect(
      screen.getAllByText(/No product with id 'tracking'/).length,
    ).toBeGreaterThan(0);
    expect(saved).toHaveLength(0);
  });
});
