import { useState } from 'react';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  canManageMembers,
  InvitableRole,
  Invitation,
  marketplaceApiRef,
  PartnerMember,
} from '../../api';
import { useInvitations, useMembers } from '../../hooks';
import { formatDateTime } from '../../lib/format';
import { ErrorAlert } from '../ErrorAlert';
import { useMutation } from '../Keys';

const roles: InvitableRole[] = ['admin', 'developer', 'billing'];

function InviteForm(props: { onInvited: () => void }) {
  const api = useApi(marketplaceApiRef);
  const { pending, error, run } = useMutation();
  const [invitee, setInvitee] = useState('');
  const [role, setRole] = useState<InvitableRole>('developer');
  const value = invitee.trim();

  const onSubmit = async () => {
    const target =
      value.includes('@') && !value.includes(':')
        ? { email: value }
        : { userRef: value };
    const invitation = await run(() =>
      api.createInvitation({ ...target, role }),
    );
    if (invitation) {
      setInvitee('');
      props.onInvited();
    }
  };

  return (
    <Paper>
      <Box p={2} mb={2}>
        <Typography variant="h6">Invite someone</Typography>
        <ErrorAlert error={error} />
        <Box display="flex" alignItems="flex-end" flexWrap="wrap">
          <TextField
            id="invite-invitee"
            label="E-mail or user ref"
            placeholder="jane@example.com or user:default/jane"
            value={invitee}
            onChange={e => setInvitee(e.target.value)}
            style={{ minWidth: 320 }}
          />
          <Box mx={2}>
            <TextField
              select
              id="invite-role"
              label="Role"
              value={role}
              onChange={e => setRole(e.target.value as InvitableRole)}
              SelectProps={{ inputProps: { 'aria-label': 'Role' } }}
            >
              {roles.map(r => (
                <MenuItem key={r} value={r}>
                  {r}
                </MenuItem>
              ))}
            </TextField>
          </Box>
          <Button
            variant="contained"
            color="primary"
            disabled={!value || pending}
            onClick={onSubmit}
          >
            Invite
          </Button>
        </Box>
      </Box>
    </Paper>
  );
}

/**
 * Members and pending invitations. Only owners and admins see the invite
 * form and the remove and revoke buttons; the backend enforces it too.
 */
export function MembersTab(props: { role: string; userRef: string }) {
  const api = useApi(marketplaceApiRef);
  const manage = canManageMembers(props.role);
  const members = useMembers();
  const invitations = useInvitations();
  const { pending, error, run } = useMutation();

  const onRemove = async (member: PartnerMember) => {
    const done = await run(async () => {
      await api.removeMember(member.userRef);
      return true;
    });
    if (done) members.retry();
  };

  const onRevoke = async (invitation: Invitation) => {
    const done = await run(async () => {
      await api.revokeInvitation(invitation.id);
      return true;
    });
    if (done) invitations.retry();
  };

  const memberColumns: TableColumn<PartnerMember>[] = [
    { title: 'User', field: 'userRef' },
    { title: 'Role', field: 'role' },
    { title: 'Since', render: m => formatDateTime(m.createdAt) },
    ...(manage
      ? [
          {
            title: 'Actions',
            render: (m: PartnerMember) =>
              m.role === 'owner' || m.userRef === props.userRef ? null : (
                <Button
                  size="small"
                  color="secondary"
                  disabled={pending}
                  onClick={() => onRemove(m)}
                  aria-label={`Remove ${m.userRef}`}
                >
                  Remove
                </Button>
              ),
          },
        ]
      : []),
  ];

  const invitationColumns: TableColumn<Invitation>[] = [
    { title: 'Invitee', render: i => i.email ?? i.userRef ?? '' },
    { title: 'Role', field: 'role' },
    { title: 'Invited by', field: 'invitedBy' },
    { title: 'Expires', render: i => formatDateTime(i.expiresAt) },
    ...(manage
      ? [
          {
            title: 'Actions',
            render: (i: Invitation) => (
              <Button
                size="small"
                color="secondary"
                disabled={pending}
                onClick={() => onRevoke(i)}
                aria-label={`Revoke invitation for ${i.email ?? i.userRef}`}
              >
                Revoke
              </Button>
            ),
          },
        ]
      : []),
  ];

  let membersBody;
  if (members.loading && !members.value) membersBody = <Progress />;
  else if (members.error) {
    membersBody = (
      <ResponseErrorPanel
        error={members.error}
        title="Could not load the members"
      />
    );
  } else {
    membersBody = (
      <Table<PartnerMember>
        title="Members"
        options={{ search: false, paging: false, padding: 'dense' }}
        columns={memberColumns}
        data={members.value ?? []}
      />
    );
  }

  let invitationsBody;
  if (invitations.loading && !invitations.value) invitationsBody = <Progress />;
  else if (invitations.error) {
    invitationsBody = (
      <ResponseErrorPanel
        error={invitations.error}
        title="Could not load the invitations"
      />
    );
  } else if (!invitations.value?.length) {
    invitationsBody = (
      <EmptyState
        missing="data"
        title="No pending invitations"
        description={
          manage
            ? 'Invite colleagues by e-mail or user ref.'
            : 'Owners and admins can invite colleagues.'
        }
      />
    );
  } else {
    invitationsBody = (
      <Table<Invitation>
        title="Pending invitations"
        options={{ search: false, paging: false, padding: 'dense' }}
        columns={invitationColumns}
        data={invitations.value}
      />
    );
  }

  return (
    <>
      <ErrorAlert error={error} />
      {manage && <InviteForm onInvited={invitations.retry} />}
      <Box mb={2}>{membersBody}</Box>
      {invitationsBody}
    </>
  );
}
