import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { marketplaceApiRef, MarketplaceApi, MarketplaceMe } from '../../api';
import { makePartner, makeSubscription } from '../../__testUtils__/fixtures';
import { mockMarketplaceApi } from '../../__testUtils__/mockMarketplaceApi';
import { rootRouteRef } from '../../routes';
import { OrganizationPage } from './OrganizationPage';

const me = (role?: string): MarketplaceMe => ({
  userRef: 'user:default/jane',
  isAdmin: false,
  ...(role ? { partner: { ...makePartner(), role } } : {}),
  invitations: [],
});

const members = [
  {
    userRef: 'user:default/jane',
    role: 'owner',
    createdAt: '2024-05-01T00:00:00Z',
  },
  {
    userRef: 'user:default/bob',
    role: 'developer',
    createdAt: '2024-05-02T00:00:00Z',
  },
];
const invitation = {
  id: 'i-1',
  email: 'eve@acme.test',
  role: 'billing',
  status: 'pending',
  invitedBy: 'user:default/jane',
  expiresAt: '2024-06-01T00:00:00Z',
  createdAt: '2024-05-01T00:00:00Z',
};

async function renderPage(api: MarketplaceApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[marketplaceApiRef, api]]}>
      <OrganizationPage />
    </TestApiProvider>,
    { mountedRoutes: { '/api-marketplace': rootRouteRef } },
  );
}

async function openTab(name: string) {
  await userEvent.click(await screen.findByRole('tab', { name }));
}

describe('OrganizationPage', () => {
  it('sends users without a partner to onboarding', async () => {
    await renderPage(mockMarketplaceApi({ getMe: jest.fn(async () => me()) }));
    expect(await screen.findByText('No organisation yet')).toBeInTheDocument();
    expect(screen.getByText('Get started').closest('a')).toHaveAttribute(
      'href',
      '/api-marketplace/onboarding',
    );
  });

  it('shows the keys tab first, with the partner name and role', async () => {
    await renderPage(
      mockMarketplaceApi({ getMe: jest.fn(async () => me('developer')) }),
    );
    expect(await screen.findByText('No API keys yet')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Acme' })).toBeInTheDocument();
    expect(screen.getByText('developer')).toBeInTheDocument();
  });

  it.each(['owner', 'admin'])(
    'lets an %s invite, revoke invitations and remove members',
    async role => {
      const api = mockMarketplaceApi({
        getMe: jest.fn(async () => me(role)),
        listMembers: jest.fn(async () => members),
        listInvitations: jest.fn(async () => [invitation]),
        createInvitation: jest.fn(async () => invitation),
      });
      const user = userEvent.setup();
      await renderPage(api);
      await openTab('Members & invitations');

      await user.click(
        await screen.findByRole('button', { name: 'Remove user:default/bob' }),
      );
      expect(api.removeMember).toHaveBeenCalledWith('user:default/bob');
      // Nobody removes the owner or themselves here.
      expect(
        screen.queryByRole('button', { name: 'Remove user:default/jane' }),
      ).not.toBeInTheDocument();

      await user.click(
        screen.getByRole('button', {
          name: 'Revoke invitation for eve@acme.test',
        }),
      );
      expect(api.revokeInvitation).toHaveBeenCalledWith('i-1');

      await user.type(
        screen.getByLabelText(/E-mail or user ref/),
        'user:default/max',
      );
      fireEvent.mouseDown(
        screen.getAllByRole('button').find(b => b.id === 'invite-role')!,
      );
      await user.click(await screen.findByRole('option', { name: 'admin' }));
      await user.click(screen.getByRole('button', { name: 'Invite' }));
      expect(api.createInvitation).toHaveBeenCalledWith({
        userRef: 'user:default/max',
        role: 'admin',
      });

      await user.type(
        screen.getByLabelText(/E-mail or user ref/),
        'max@acme.test',
      );
      await user.click(screen.getByRole('button', { name: 'Invite' }));
      expect(api.createInvitation).toHaveBeenLastCalledWith({
        email: 'max@acme.test',
        role: 'admin',
      });
    },
    20_000,
  );

  it.each(['developer', 'billing'])(
    'hides member management from a %s',
    async role => {
      const api = mockMarketplaceApi({
        getMe: jest.fn(async () => me(role)),
        listMembers: jest.fn(async () => members),
        listInvitations: jest.fn(async () => [invitation]),
      });
      await renderPage(api);
      await openTab('Members & invitations');
      expect(await screen.findByText('user:default/bob')).toBeInTheDocument();
      expect(await screen.findByText('eve@acme.test')).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: /Remove/ }),
      ).not.toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: /Revoke invitation/ }),
      ).not.toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Invite' }),
      ).not.toBeInTheDocument();
    },
  );

  it('changes the plan of a subscription and cancels one after confirmation', async () => {
    const api = mockMarketplaceApi({
      getMe: jest.fn(async () => me('owner')),
      listSubscriptions: jest.fn(async () => [
        makeSubscription(),
        makeSubscription({
          id: 's-2',
          productId: 'payments',
          plan: 'starter',
          status: 'pending_payment',
        }),
      ]),
      changePlan: jest.fn(async () => makeSubscription({ plan: 'starter' })),
    });
    const user = userEvent.setup();
    await renderPage(api);
    await openTab('Subscriptions');

    expect(await screen.findByText('Awaiting checkout')).toBeInTheDocument();
    fireEvent.mouseDown(
      screen.getByRole('button', { name: /Plan for tracking/ }),
    );
    await user.click(await screen.findByRole('option', { name: 'starter' }));
    expect(api.changePlan).toHaveBeenCalledWith('s-1', 'starter');

    await user.click(screen.getByRole('button', { name: 'Cancel payments' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(
      within(dialog).getByRole('button', { name: 'Cancel subscription' }),
    );
    expect(api.cancelSubscription).toHaveBeenCalledWith('s-2');
    await waitFor(() => expect(api.listSubscriptions).toHaveBeenCalledTimes(3));
  });

  it('shows the audit log', async () => {
    const api = mockMarketplaceApi({
      getMe: jest.fn(async () => me('owner')),
      listAuditEvents: jest.fn(async () => [
        {
          id: 1,
          actorRef: 'user:default/jane',
          action: 'key.create',
          targetType: 'key',
          targetId: 'k-1',
          details: { environment: 'sandbox' },
          createdAt: '2024-05-01T10:00:00.000Z',
        },
      ]),
    });
    await renderPage(api);
    await openTab('Audit log');
    expect(await screen.findByText('key.create')).toBeInTheDocument();
    expect(screen.getByText('key k-1')).toBeInTheDocument();
    expect(screen.getByText('{"environment":"sandbox"}')).toBeInTheDocument();
  });

  it('shows an empty audit log', async () => {
    await renderPage(
      mockMarketplaceApi({ getMe: jest.fn(async () => me('owner')) }),
    );
    await openTab('Audit log');
    expect(await screen.findByText('Nothing logged yet')).toBeInTheDocument();
  });

  it('shows the load error of a tab', async () => {
    await renderPage(
      mockMarketplaceApi({
        getMe: jest.fn(async () => me('owner')),
        listSubscriptions: jest.fn(async () => {
          throw new Error('nope');
        }),
      }),
    );
    await openTab('Subscriptions');
    expect(
      await screen.findByText(/Could not load the subscriptions/),
    ).toBeInTheDocument();
  });
});
