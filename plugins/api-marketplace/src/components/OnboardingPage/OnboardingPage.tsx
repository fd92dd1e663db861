import { useEffect, useState } from 'react';
import {
  Content,
  EmptyState,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import Step from '@material-ui/core/Step';
import StepContent from '@material-ui/core/StepContent';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  planIds,
  type ProductSummary,
} from '@portico/plugin-api-marketplace-common';
import {
  Invitation,
  IssuedApiKey,
  marketplaceApiRef,
  MarketplaceMe,
  Subscription,
  SubscriptionPlan,
} from '../../api';
import { useMe, useProducts } from '../../hooks';
import { describeError } from '../../lib/errors';
import { formatPrice } from '../../lib/format';
import { ErrorAlert } from '../ErrorAlert';
import { organizationRouteRef } from '../../routes';
import {
  CreateKeyForm,
  KeyScopeOption,
  NewKeyPanel,
  useMutation,
} from '../Keys';

const steps = [
  'Create your organisation',
  'Accept the terms',
  'Pick APIs and tiers',
  'Create a sandbox key',
  'Store your key',
];

const noFilters = {};

/** The first step a returning user resumes at. */
function initialStep(me: MarketplaceMe): number {
  if (!me.partner) return 0;
  if (!me.partner.termsAcceptedAt) return 1;
  return 2;
}

function CreateOrganisationStep(props: { onDone: () => void }) {
  const api = useApi(marketplaceApiRef);
  const { pending, error, run } = useMutation();
  const [name, setName] = useState('');
  const [billingEmail, setBillingEmail] = useState('');
  const valid = name.trim() !== '' && /^\S+@\S+\.\S+$/.test(billingEmail);

  const onSubmit = async () => {
    const partner = await run(() =>
      api.createPartner({
        name: name.trim(),
        billingEmail: billingEmail.trim(),
      }),
    );
    if (partner) props.onDone();
  };

  return (
    <Box maxWidth={480}>
      <ErrorAlert error={error} />
      <TextField
        id="onboarding-organisation-name"
        label="Organisation name"
        value={name}
        onChange={e => setName(e.target.value)}
        fullWidth
        required
        margin="normal"
      />
      <TextField
        id="onboarding-billing-email"
        label="Billing e-mail"
        type="email"
        value={billingEmail}
        onChange={e => setBillingEmail(e.target.value)}
        fullWidth
        required
        margin="normal"
      />
      <Button
        variant="contained"
        color="primary"
        disabled={!valid || pending}
        onClick={onSubmit}
      >
        Create organisation
      </Button>
    </Box>
  );
}

function TermsStep(props: { onDone: () => void }) {
  const api = useApi(marketplaceApiRef);
  const { pending, error, run } = useMutation();
  const [accepted, setAccepted] = useState(false);

  const onSubmit = async () => {
    const partner = await run(() => api.acceptTerms());
    if (partner) props.onDone();
  };

  return (
    <Box>
      <ErrorAlert error={error} />
      <Typography variant="body2" paragraph>
        The marketplace terms cover fair use, rate limits and billing of paid
        tiers. They apply to every member of your organisation.
      </Typography>
      <FormControlLabel
        control={
          <Checkbox
            checked={accepted}
            onChange={e => setAccepted(e.target.checked)}
          />
        }
        label="I accept the marketplace terms on behalf of my organisation"
      />
      <Box mt={1}>
        <Button
          variant="contained"
          color="primary"
          disabled={!accepted || pending}
          onClick={onSubmit}
        >
          Accept terms
        </Button>
      </Box>
    </Box>
  );
}

function planLabel(product: ProductSummary, plan: SubscriptionPlan): string {
  if (plan === 'free') return 'Free';
  const tier = product.pricing[plan];
  const name = plan === 'starter' ? 'Starter' : 'Enterprise';
  return `${name} (${formatPrice(tier.monthlyPrice)}/month)`;
}

function subscriptionLabel(subscription: Subscription): string {
  return subscription.status === 'pending_payment'
    ? `${subscription.plan}: awaiting checkout`
    : `${subscription.plan}: subscribed`;
}

function ProductRow(props: {
  product: ProductSummary;
  subscription?: Subscription;
  onSubscribed: (subscription: Subscription) => void;
}) {
  const { product, subscription } = props;
  const api = useApi(marketplaceApiRef);
  const { pending, error, run } = useMutation();
  const [plan, setPlan] = useState<SubscriptionPlan>('free');

  const onSubscribe = async () => {
    const created = await run(() =>
      api.subscribe({ productId: product.id, plan }),
    );
    if (created) props.onSubscribed(created);
  };

  return (
    <ListItem divider aria-label={product.title}>
      <ListItemText
        primary={product.title}
        secondary={
          <>
            {product.description}
            {error && (
              <Typography component="span" color="error" display="block">
                {describeError(error).message}
              </Typography>
            )}
          </>
        }
      />
      {subscription ? (
        <Typography variant="body2" role="status">
          {subscriptionLabel(subscription)}
        </Typography>
      ) : (
        <Box display="flex" alignItems="center">
          <TextField
            select
            size="small"
            value={plan}
            onChange={e => setPlan(e.target.value as SubscriptionPlan)}
            SelectProps={{
              inputProps: { 'aria-label': `Plan for ${product.title}` },
            }}
          >
            {planIds.map(id => (
              <MenuItem key={id} value={id}>
                {planLabel(product, id)}
              </MenuItem>
            ))}
          </TextField>
          <Box ml={1}>
            <Button
              variant="outlined"
              color="primary"
              disabled={pending}
              onClick={onSubscribe}
              aria-label={`Subscribe to ${product.title}`}
            >
              Subscribe
            </Button>
          </Box>
        </Box>
      )}
    </ListItem>
  );
}

function SubscribeStep(props: {
  subscriptions: Subscription[];
  onSubscribed: (subscription: Subscription) => void;
  onDone: () => void;
}) {
  const products = useProducts(noFilters);
  if (products.loading) return <Progress />;
  if (products.error) {
    return (
      <ResponseErrorPanel
        error={products.error}
        title="Could not load the APIs"
      />
    );
  }
  if (!products.value?.length) {
    return (
      <EmptyState
        missing="data"
        title="No APIs published yet"
        description="Come back when the first API is in the marketplace."
      />
    );
  }
  const byProduct = new Map(props.subscriptions.map(s => [s.productId, s]));
  return (
    <Box>
      <Typography variant="body2">
        Free tiers start at once; paid tiers wait for checkout.
      </Typography>
      <List aria-label="APIs">
        {products.value.map(product => (
          <ProductRow
            key={product.id}
            product={product}
            subscription={byProduct.get(product.id)}
            onSubscribed={props.onSubscribed}
          />
        ))}
      </List>
      <Button
        variant="contained"
        color="primary"
        disabled={props.subscriptions.length === 0}
        onClick={props.onDone}
      >
        Continue
      </Button>
    </Box>
  );
}

function CreateKeyStep(props: {
  subscriptions: Subscription[];
  onDone: (issued: IssuedApiKey) => void;
}) {
  const products = useProducts(noFilters);
  const titles = new Map((products.value ?? []).map(p => [p.id, p.title]));
  const scopes: KeyScopeOption[] = props.subscriptions.map(s => ({
    id: s.productId,
    title: titles.get(s.productId) ?? s.productId,
  }));
  return (
    <>
      <Typography variant="body2">
        A sandbox key calls the mock sandboxes of the APIs you picked; it is
        metered but never billed.
      </Typography>
      <CreateKeyForm
        products={scopes}
        defaultProductIds={scopes.map(s => s.id)}
        defaultName="My first sandbox key"
        environments={['sandbox']}
        submitLabel="Create sandbox key"
        onCreated={props.onDone}
      />
    </>
  );
}

function invitationPartner(invitation: Invitation): string {
  return invitation.partnerName ?? `${invitation.invitedBy}'s organisation`;
}

function Invitations(props: {
  invitations: Invitation[];
  onJoined: () => void;
}) {
  const api = useApi(marketplaceApiRef);
  const { pending, error, run } = useMutation();

  const onJoin = async (id: string) => {
    const joined = await run(async () => {
      await api.acceptInvitation(id);
      return true;
    });
    if (joined) props.onJoined();
  };

  return (
    <Paper>
      <Box p={2} mb={2}>
        <Typography variant="h6">You have been invited</Typography>
        <ErrorAlert error={error} />
        <List>
          {props.invitations.map(invitation => (
            <ListItem key={invitation.id}>
              <ListItemText
                primary={`As ${invitation.role}`}
                secondary={`Invited by ${invitation.invitedBy}`}
              />
              <Button
                variant="contained"
                color="primary"
                disabled={pending}
                onClick={() => onJoin(invitation.id)}
              >
                Join {invitationPartner(invitation)}
              </Button>
            </ListItem>
          ))}
        </List>
        <Typography variant="body2">
          Or create an organisation of your own below.
        </Typography>
      </Box>
    </Paper>
  );
}

function Joined() {
  const organizationRoute = useRouteRef(organizationRouteRef);
  return (
    <EmptyState
      missing="info"
      title="You are a member of an organisation"
      description="Manage its keys, subscriptions and members on the organisation page."
      action={<Link to={organizationRoute()}>Go to your organisation</Link>}
    />
  );
}

function OnboardingFlow(props: { me: MarketplaceMe; onJoined: () => void }) {
  const { me } = props;
  const [step, setStep] = useState(() => initialStep(me));
  const api = useApi(marketplaceApiRef);
  const [subscriptions, setSubscriptions] = useState<Subscription[]>([]);
  const [issued, setIssued] = useState<IssuedApiKey | undefined>();
  const organizationRoute = useRouteRef(organizationRouteRef);

  // A resumed onboarding keeps the subscriptions made on an earlier visit.
  const resumed = initialStep(me) > 0;
  useEffect(() => {
    if (!resumed) return undefined;
    let active = true;
    api.listSubscriptions().then(
      existing => {
        if (!active) return;
        setSubscriptions(current => {
          const seen = new Set(current.map(s => s.productId));
          return [
            ...current,
            ...existing.filter(
              s => s.status !== 'canceled' && !seen.has(s.productId),
            ),
          ];
        });
      },
      () => {
        // The subscribe step still works; it just starts empty.
      },
    );
    return () => {
      active = false;
    };
  }, [api, resumed]);

  return (
    <>
      {step === 0 && me.invitations.length > 0 && (
        <Invitations invitations={me.invitations} onJoined={props.onJoined} />
      )}
      <Stepper activeStep={step} orientation="vertical">
        {steps.map((label, index) => (
          <Step key={label}>
            <StepLabel>{label}</StepLabel>
            <StepContent>
              {index === 0 && (
                <CreateOrganisationStep onDone={() => setStep(1)} />
              )}
              {index === 1 && <TermsStep onDone={() => setStep(2)} />}
              {index === 2 && (
                <SubscribeStep
                  subscriptions={subscriptions}
                  onSubscribed={s => setSubscriptions(all => [...all, s])}
                  onDone={() => setStep(3)}
                />
              )}
              {/* Mounted when reached, so it starts with every subscription. */}
              {index === 3 && step === 3 && (
                <CreateKeyStep
                  subscriptions={subscriptions}
                  onDone={key => {
                    setIssued(key);
                    setStep(4);
                  }}
                />
              )}
              {index === 4 && issued && (
                <>
                  <NewKeyPanel issued={issued} />
                  <Link to={organizationRoute()}>Go to your organisation</Link>
                </>
              )}
            </StepContent>
          </Step>
        ))}
      </Stepper>
    </>
  );
}

/**
 * Self-service onboarding: organisation, terms, subscriptions and the first
 * sandbox key; or joining the organisation that invited the user.
 */
export function OnboardingPage() {
  const me = useMe();
  const [joined, setJoined] = useState(false);

  let body;
  if (joined) {
    body = <Joined />;
  } else if (me.loading && !me.value) {
    body = <Progress />;
  } else if (me.error) {
    body = (
      <ResponseErrorPanel
        error={me.error}
        title="Could not load your account"
      />
    );
  } else if (me.value) {
    body = <OnboardingFlow me={me.value} onJoined={() => setJoined(true)} />;
  }

  return (
    <Page themeId="tool">
      <Header
        title="Get started"
        subtitle="Set up your organisation and keys"
      />
      <Content>{body}</Content>
    </Page>
  );
}
