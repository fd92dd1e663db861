import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { marketplaceApiRef, MarketplaceApi } from '../../api';
import {
  makeIssuedKey,
  makePartner,
  makeProduct,
  makeSubscription,
} from '../../__testUtils__/fixtures';
import { mockMarketplaceApi } from '../../__testUtils__/mockMarketplaceApi';
import { rootRouteRef } from '../../routes';
import { SHOW_ONCE_WARNING } from '../Keys';
import { OnboardingPage } from './OnboardingPage';

const tracking = makeProduct();
const payments = makeProduct({ id: 'payments', title: 'Payments' });

async function renderPage(api: MarketplaceApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[marketplaceApiRef, api]]}>
      <OnboardingPage />
    </TestApiProvider>,
    { mountedRoutes: { '/api-marketplace': rootRouteRef } },
  );
}

describe('OnboardingPage', () => {
  const writeText = jest.fn(async (_text: string) => {});

  /** After `userEvent.setup()`, which installs a clipboard stub of its own. */
  function mockClipboard() {
    writeText.mockClear();
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText },
      configurable: true,
    });
  }

  it('walks from organisation to a key shown once, copied with the button', async () => {
    const api = mockMarketplaceApi({
      listProducts: jest.fn(async () => [tracking, payments]),
      createPartner: jest.fn(async () => makePartner()),
      acceptTerms: jest.fn(async () =>
        makePartner({ termsAcceptedAt: '2024-05-02T00:00:00Z' }),
      ),
      subscribe: jest.fn(async ({ productId, plan }) =>
        makeSubscription({
          id: `s-${productId}`,
          productId,
          plan,
          status: plan === 'free' ? 'active' : 'pending_payment',
        }),
      ),
      createKey: jest.fn(async () =>
        makeIssuedKey({ productIds: ['tracking', 'payments'] }),
      ),
    });
    const user = userEvent.setup();
    mockClipboard();
    await renderPage(api);

    // 1. Organisation
    await user.type(await screen.findByLabelText(/Organisation name/), 'Acme');
    await user.type(screen.getByLabelText(/Billing e-mail/), 'b@acme.test');
    await user.click(
      screen.getByRole('button', { name: 'Create organisation' }),
    );
    expect(api.createPartner).toHaveBeenCalledWith({
      name: 'Acme',
      billingEmail: 'b@acme.test',
    });

    // 2. Terms: the button waits for the checkbox.
    const accept = await screen.findByRole('button', { name: 'Accept terms' });
    expect(accept).toBeDisabled();
    await user.click(screen.getByRole('checkbox'));
    await user.click(accept);
    expect(api.acceptTerms).toHaveBeenCalled();

    // 3. Free subscribes at once; a paid tier awaits checkout.
    const trackingRow = await screen.findByRole('listitem', {
      name: 'Tracking',
    });
    await user.click(
      within(trackingRow).getByRole('button', {
        name: 'Subscribe to Tracking',
      }),
    );
    expect(await within(trackingRow).findByRole('status')).toHaveTextContent(
      'free: subscribed',
    );
    const paymentsRow = screen.getByRole('listitem', { name: 'Payments' });
    fireEvent.mouseDown(
      within(paymentsRow).getByRole('button', { name: /Plan for Payments/ }),
    );
    await user.click(await screen.findByRole('option', { name: /Starter/ }));
    await user.click(
      within(paymentsRow).getByRole('button', {
        name: 'Subscribe to Payments',
      }),
    );
    expect(await within(paymentsRow).findByRole('status')).toHaveTextContent(
      'starter: awaiting checkout',
    );
    expect(api.subscribe).toHaveBeenCalledWith({
      productId: 'payments',
      plan: 'starter',
    });
    await user.click(screen.getByRole('button', { name: 'Continue' }));

    // 4. A sandbox key scoped to the subscribed products.
    const keyName = await screen.findByLabelText(/Key name/);
    await user.clear(keyName);
    await user.type(keyName, 'First');
    await user.click(
      screen.getByRole('button', { name: 'Create sandbox key' }),
    );
    expect(api.createKey).toHaveBeenCalledWith({
      name: 'First',
      productIds: ['tracking', 'payments'],
      environment: 'sandbox',
    });

    // 5. Shown once, with the warning and a working copy button.
    const panel = await screen.findByRole('region', { name: 'New API key' });
    expect(panel).toHaveTextContent(SHOW_ONCE_WARNING);
    expect(panel).toHaveTextContent("you won't see this key again");
    expect(within(panel).getByTestId('issued-key')).toHaveTextContent(
      'pk_sbx_ab12_secret',
    );
    await user.click(within(panel).getByRole('button', { name: 'Copy key' }));
    expect(writeText).toHaveBeenCalledWith('pk_sbx_ab12_secret');
    expect(
      await within(panel).findByText('Copied to the clipboard.'),
    ).toBeInTheDocument();
  }, 20_000);

  it('shows the server error and stays on the step when creation fails', async () => {
    const api = mockMarketplaceApi({
      createPartner: jest.fn(async () => {
        throw new Error('You already belong to a partner');
      }),
    });
    const user = userEvent.setup();
    await renderPage(api);
    await user.type(await screen.findByLabelText(/Organisation name/), 'A');
    await user.type(screen.getByLabelText(/Billing e-mail/), 'b@a.test');
    await user.click(
      screen.getByRole('button', { name: 'Create organisation' }),
    );
    expect(
      await screen.findByText('You already belong to a partner'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Create organisation' }),
    ).toBeInTheDocument();
  });

  it('offers to join the partner of a pending invitation', async () => {
    const api = mockMarketplaceApi({
      getMe: jest.fn(async () => ({
        userRef: 'user:default/bob',
        isAdmin: false,
        invitations: [
          {
            id: 'i-1',
            role: 'developer',
            status: 'pending',
            invitedBy: 'user:default/jane',
            expiresAt: '2024-06-01T00:00:00Z',
            createdAt: '2024-05-01T00:00:00Z',
            partnerName: 'Acme',
          },
        ],
      })),
    });
    const user = userEvent.setup();
    await renderPage(api);
    await user.click(await screen.findByRole('button', { name: 'Join Acme' }));
    expect(api.acceptInvitation).toHaveBeenCalledWith('i-1');
    expect(
      await screen.findByText('You are a member of an organisation'),
    ).toBeInTheDocument();
  });

  it('resumes at the terms step for a partner that has not accepted them', async () => {
    const api = mockMarketplaceApi({
      getMe: jest.fn(async () => ({
        userRef: 'user:default/jane',
        isAdmin: false,
        partner: { ...makePartner(), role: 'owner' },
        invitations: [],
      })),
    });
    await renderPage(api);
    expect(
      await screen.findByRole('button', { name: 'Accept terms' }),
    ).toBeInTheDocument();
    await waitFor(() => expect(api.listSubscriptions).toHaveBeenCalled());
  });

  it('shows an error when the account cannot be loaded', async () => {
    const api = mockMarketplaceApi({
      getMe: jest.fn(async () => {
        throw new Error('boom');
      }),
    });
    await renderPage(api);
    expect(
      await screen.findByText(/Could not load your account/),
    ).toBeInTheDocument();
  });
});
