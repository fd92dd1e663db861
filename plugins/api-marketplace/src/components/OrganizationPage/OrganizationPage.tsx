import { useState } from 'react';
import {
  Content,
  EmptyState,
  Header,
  HeaderLabel,
  LinkButton,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useMe } from '../../hooks';
import { onboardingRouteRef } from '../../routes';
import { KeysPanel } from '../Keys';
import { UsagePanel } from '../Usage';
import { AuditTab } from './AuditTab';
import { MembersTab } from './MembersTab';
import { SubscriptionsTab } from './SubscriptionsTab';

const tabs = [
  'Keys',
  'Usage',
  'Subscriptions',
  'Members & invitations',
  'Audit log',
];

/**
 * The caller's partner: keys, usage, subscriptions, members and the audit
 * log.
 */
export function OrganizationPage() {
  const me = useMe();
  const onboardingRoute = useRouteRef(onboardingRouteRef);
  const [tab, setTab] = useState(0);
  const partner = me.value?.partner;

  let body;
  if (me.loading) {
    body = <Progress />;
  } else if (me.error) {
    body = (
      <ResponseErrorPanel
        error={me.error}
        title="Could not load your account"
      />
    );
  } else if (!partner || !me.value) {
    body = (
      <EmptyState
        missing="info"
        title="No organisation yet"
        description="Create your organisation, or join one you were invited to."
        action={
          <LinkButton
            to={onboardingRoute()}
            variant="contained"
            color="primary"
          >
            Get started
          </LinkButton>
        }
      />
    );
  } else {
    body = (
      <>
        <Tabs
          value={tab}
          onChange={(_e, value: number) => setTab(value)}
          indicatorColor="primary"
          aria-label="Organisation sections"
        >
          {tabs.map(label => (
            <Tab key={label} label={label} />
          ))}
        </Tabs>
        <Box mt={2} role="tabpanel" aria-label={tabs[tab]}>
          {tab === 0 && <KeysPanel />}
          {tab === 1 && <UsagePanel />}
          {tab === 2 && <SubscriptionsTab />}
          {tab === 3 && (
            <MembersTab role={partner.role} userRef={me.value.userRef} />
          )}
          {tab === 4 && <AuditTab />}
        </Box>
      </>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title={partner?.name ?? 'Organisation'}
        subtitle="API marketplace"
      >
        {partner && <HeaderLabel label="Your role" value={partner.role} />}
      </Header>
      <Content>{body}</Content>
    </Page>
  );
}
