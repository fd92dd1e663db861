import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { marketplaceApiRef, MarketplaceApi } from '../../api';
import {
  makeIssuedKey,
  makeKey,
  makeProduct,
} from '../../__testUtils__/fixtures';
import { mockMarketplaceApi } from '../../__testUtils__/mockMarketplaceApi';
import { KeysPanel } from './KeysPanel';
import { SHOW_ONCE_WARNING } from './NewKeyPanel';

const tracking = makeProduct();
const payments = makeProduct({ id: 'payments', title: 'Payments' });

async function renderPanel(api: MarketplaceApi, productId?: string) {
  return renderInTestApp(
    <TestApiProvider apis={[[marketplaceApiRef, api]]}>
      <KeysPanel productId={productId} />
    </TestApiProvider>,
  );
}

describe('KeysPanel', () => {
  it('lists keys with their prefix, environment, products and status', async () => {
    const api = mockMarketplaceApi({
      listProducts: jest.fn(async () => [tracking, payments]),
      listKeys: jest.fn(async () => [
        makeKey({
          lastUsedAt: '2024-05-03T08:00:00.000Z',
          productIds: ['tracking', 'payments'],
        }),
      ]),
    });
    await renderPanel(api);
    const row = (await screen.findByText('Sandbox key')).closest('tr')!;
    expect(row).toHaveTextContent('pk_sbx_ab12');
    expect(row).toHaveTextContent('sandbox');
    expect(row).toHaveTextContent('Tracking, Payments');
    expect(row).toHaveTextContent('active');
    expect(row).toHaveTextContent('May 3, 2024');
    expect(row).toHaveTextContent('Never');
  });

  it('shows an empty state', async () => {
    await renderPanel(mockMarketplaceApi());
    expect(await screen.findByText('No API keys yet')).toBeInTheDocument();
  });

  it('shows the load error', async () => {
    await renderPanel(
      mockMarketplaceApi({
        listKeys: jest.fn(async () => {
          throw new Error('denied');
        }),
      }),
    );
    expect(
      await screen.findByText(/Could not load the keys/),
    ).toBeInTheDocument();
  });

  it('creates a key with scopes, environment and expiry, then shows it once', async () => {
    const api = mockMarketplaceApi({
      listProducts: jest.fn(async () => [tracking, payments]),
      createKey: jest.fn(async () =>
        makeIssuedKey({ name: 'CI', environment: 'production' }),
      ),
    });
    const user = userEvent.setup();
    await renderPanel(api);
    await user.click(await screen.findByRole('button', { name: 'Create key' }));
    const dialog = await screen.findByRole('dialog');
    const create = within(dialog).getByRole('button', { name: 'Create' });
    expect(create).toBeDisabled();

    await user.type(within(dialog).getByLabelText(/Key name/), 'CI');
    await user.click(within(dialog).getByLabelText('Payments'));
    fireEvent.mouseDown(
      within(dialog).getByRole('button', { name: /Environment/ }),
    );
    await user.click(await screen.findByRole('option', { name: 'Production' }));
    fireEvent.change(within(dialog).getByLabelText(/Expires on/), {
      target: { value: '2030-01-31' },
    });
    await user.type(
      within(dialog).getByLabelText(/Allowed IPs/),
      '10.0.0.1, 10.0.0.2',
    );
    await user.click(create);

    expect(api.createKey).toHaveBeenCalledWith({
      name: 'CI',
      productIds: ['payments'],
      environment: 'production',
      expiresAt: '2030-01-31T23:59:59.000Z',
      allowedIps: ['10.0.0.1', '10.0.0.2'],
    });
    const panel = await screen.findByRole('region', { name: 'New API key' });
    expect(panel).toHaveTextContent(SHOW_ONCE_WARNING);
    expect(panel).toHaveTextContent('pk_sbx_ab12_secret');
    await waitFor(() => expect(api.listKeys).toHaveBeenCalledTimes(2));

    await user.click(
      within(panel).getByRole('button', { name: 'I have stored it' }),
    );
    expect(screen.queryByText('pk_sbx_ab12_secret')).not.toBeInTheDocument();
  }, 20_000);

  it('prefills the product when scoped to one', async () => {
    const api = mockMarketplaceApi({
      listProducts: jest.fn(async () => [tracking, payments]),
      listKeys: jest.fn(async () => [
        makeKey(),
        makeKey({ id: 'k-2', name: 'Payments key', productIds: ['payments'] }),
      ]),
    });
    const user = userEvent.setup();
    await renderPanel(api, 'tracking');
    expect(await screen.findByText('Sandbox key')).toBeInTheDocument();
    expect(screen.queryByText('Payments key')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText('Tracking')).toBeChecked();
    expect(within(dialog).getByLabelText('Payments')).not.toBeChecked();
  });

  it('rotates a key with a grace period and shows the new key once', async () => {
    const api = mockMarketplaceApi({
      listKeys: jest.fn(async () => [makeKey()]),
      rotateKey: jest.fn(async () =>
        makeIssuedKey({ id: 'k-2', key: 'rotated-secret', replaces: 'k-1' }),
      ),
    });
    const user = userEvent.setup();
    await renderPanel(api);
    await user.click(
      await screen.findByRole('button', { name: 'Rotate Sandbox key' }),
    );
    const dialog = await screen.findByRole('dialog');
    const hours = within(dialog).getByLabelText(/Grace period/);
    await user.clear(hours);
    await user.type(hours, '48');
    await user.click(within(dialog).getByRole('button', { name: 'Rotate' }));
    expect(api.rotateKey).toHaveBeenCalledWith('k-1', {
      gracePeriodHours: 48,
    });
    const panel = await screen.findByRole('region', { name: 'New API key' });
    expect(panel).toHaveTextContent('rotated-secret');
    expect(panel).toHaveTextContent(SHOW_ONCE_WARNING);
  });

  it('revokes only after confirmation and shows a failure in the dialog', async () => {
    const revokeKey = jest
      .fn()
      .mockRejectedValueOnce(new Error('Only admins can revoke'))
      .mockResolvedValueOnce(undefined);
    const api = mockMarketplaceApi({
      listKeys: jest.fn(async () => [makeKey()]),
      revokeKey,
    });
    const user = userEvent.setup();
    await renderPanel(api);
    await user.click(
      await screen.findByRole('button', { name: 'Revoke Sandbox key' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Revoke Sandbox key?');
    expect(revokeKey).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    expect(
      await within(dialog).findByText('Only admins can revoke'),
    ).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(revokeKey).toHaveBeenCalledWith('k-1');
    expect(api.listKeys).toHaveBeenCalledTimes(2);
  });

  it('cancelling the revoke dialog revokes nothing', async () => {
    const api = mockMarketplaceApi({
      listKeys: jest.fn(async () => [makeKey()]),
    });
    const user = userEvent.setup();
    await renderPanel(api);
    await user.click(
      await screen.findByRole('button', { name: 'Revoke Sandbox key' }),
    );
    await user.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Cancel',
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.revokeKey).not.toHaveBeenCalled();
  });
});
