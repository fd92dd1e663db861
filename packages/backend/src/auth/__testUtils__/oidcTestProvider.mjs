/*
 * A real OpenID Connect provider for tests: panva's `oidc-provider`, which is
 * ESM-only, run as a child process of the jest test and reached over HTTP on
 * 127.0.0.1. Nothing in here talks to Backstage; the test drives a browser-like
 * authorization-code flow against this process and a real Backstage backend.
 *
 * Started with `child_process.fork` and configured through the environment:
 *   OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET   the one client to register
 *   OIDC_TEST_REGISTRATION_TOKEN                   initial access token for it
 *   OIDC_TEST_ACCOUNTS  JSON: { [email]: { sub, password, name, emailVerified? } }
 * When listening it sends `{ type: 'ready', issuer }` over the IPC channel, and
 * it exits when the parent disconnects.
 *
 * The client is not static: its redirect URI contains the test backend's port,
 * known only once the backend runs, while the backend needs the IdP up to
 * discover it. So the test registers the client through standard OpenID
 * Connect Dynamic Client Registration (POST /reg with the initial access
 * token); the IdP hands out the configured client_id/client_secret.
 *
 * Interactions are a tiny custom login + consent UI (plain HTML forms), so the
 * password is really checked and consent is really granted; no dev-only
 * `devInteractions`.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const required = name => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`oidcTestProvider: missing ${name}`);
  }
  return value;
};

const clientId = required('OIDC_TEST_CLIENT_ID');
const clientSecret = required('OIDC_TEST_CLIENT_SECRET');
const registrationToken = required('OIDC_TEST_REGISTRATION_TOKEN');
const accounts = JSON.parse(required('OIDC_TEST_ACCOUNTS'));

const accountsBySub = new Map(
  Object.entries(accounts).map(([email, account]) => [
    account.sub,
    { ...account, email },
  ]),
);

const escapeHtml = value =>
  String(value).replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]),
  );

const page = (title, body) =>
  `<!DOCTYPE html><html><head><title>${escapeHtml(
    title,
  )}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

const readForm = async req => {
  const chunks = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
};

const sendHtml = (res, status, html) => {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(html);
};

const loginForm = (uid, error) =>
  page(
    'Sign in',
    `${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
  <input type="email" name="email" required>
  <input type="password" name="password" required>
  <button type="submit">Sign in</button>
</form>`,
  );

const consentForm = (uid, clientName, scopes) =>
  page(
    'Authorize',
    `<p>${escapeHtml(clientName)} asks for: ${escapeHtml(scopes.join(' '))}</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/confirm">
  <button type="submit">Allow</button>
</form>`,
  );

// The server is bound first so the issuer (which includes the port) is known.
let provider;
const server = createServer((req, res) => {
  const { pathname } = new URL(req.url, 'http://127.0.0.1');
  if (pathname.startsWith('/interaction/')) {
    handleInteraction(req, res, pathname).catch(error => {
      sendHtml(res, 500, page('Error', `<pre>${escapeHtml(error)}</pre>`));
    });
    return;
  }
  provider.callback()(req, res);
});

async function handleInteraction(req, res, pathname) {
  const [, , uid, action] = pathname.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    sendHtml(res, 400, page('Error', 'interaction mismatch'));
    return;
  }
  const { prompt, params, session, grantId } = details;

  if (req.method === 'GET' && !action) {
    if (prompt.name === 'login') {
      sendHtml(res, 200, loginForm(uid));
      return;
    }
    const client = await provider.Client.find(params.client_id);
    sendHtml(
      res,
      200,
      consentForm(
        uid,
        client?.clientName ?? params.client_id,
        String(params.scope).split(' '),
      ),
    );
    return;
  }

  if (req.method === 'POST' && action === 'login' && prompt.name === 'login') {
    const form = await readForm(req);
    const account = accounts[form.get('email') ?? ''];
    if (!account || account.password !== form.get('password')) {
      sendHtml(res, 401, loginForm(uid, 'Invalid email or password'));
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.sub } },
      { mergeWithLastSubmission: false },
    );
    return;
  }

  if (
    req.method === 'POST' &&
    action === 'confirm' &&
    prompt.name === 'consent'
  ) {
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({
          accountId: session.accountId,
          clientId: params.client_id,
        });
    if (prompt.details.missingOIDCScope) {
      grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    }
    if (prompt.details.missingOIDCClaims) {
      grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    }
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId: await grant.save() } },
      { mergeWithLastSubmission: true },
    );
    return;
  }

  sendHtml(
    res,
    400,
    page('Error', `unexpected ${req.method} for ${prompt.name}`),
  );
}

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = {
    ...privateKey.export({ format: 'jwk' }),
    kid: 'test-rs256',
    alg: 'RS256',
    use: 'sig',
  };

  provider = new Provider(issuer, {
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    async findAccount(_ctx, sub) {
      const account = accountsBySub.get(sub);
      if (!account) {
        return undefined;
      }
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            email: account.email,
            email_verified: account.emailVerified ?? true,
            name: account.name,
          };
        },
      };
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      registration: {
        enabled: true,
        initialAccessToken: registrationToken,
        idFactory: () => clientId,
        secretFactory: async () => clientSecret,
      },
      revocation: { enabled: true },
    },
    // Backstage's OIDC provider asks for `openid profile email` (no
    // `offline_access`) and still expects a refresh token, as most enterprise
    // IdPs issue one to confidential clients allowed the refresh_token grant.
    issueRefreshToken: async (_ctx, client) =>
      client.grantTypeAllowed('refresh_token'),
  });
  provider.on('server_error', (_ctx, error) => {
    process.stderr.write(`oidcTestProvider server_error: ${error.stack}\n`);
  });

  process.send?.({ type: 'ready', issuer });
});

process.on('disconnect', () => {
  server.close();
  process.exit(0);
});
