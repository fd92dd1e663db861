/*
 * End-to-end proof of employee and partner sign-in through OpenID Connect.
 *
 * - A real OIDC provider (panva's `oidc-provider`, ESM-only, so run as a child
 *   process: ./__testUtils__/oidcTestProvider.mjs) listens on 127.0.0.1.
 * - A real Backstage backend (`startTestBackend` with the auth plugin and
 *   Portico's sign-in module, ./module.ts) listens on a random port, with a
 *   catalog that has an employee, alice@portico.example, and one published
 *   partner member, but no entity for the other partners. Its OIDC client is
 *   then registered at the IdP with Dynamic Client Registration, redirect
 *   URI = its /handler/frame.
 * - The test plays the browser: it follows redirects by hand with a cookie jar,
 *   signs in and consents at the IdP, and delivers the authorization response
 *   to Backstage's /handler/frame, then calls /refresh with the session cookie.
 *
 * Nothing is mocked between Backstage and the IdP: discovery, PKCE, the code
 * exchange (client_secret_basic), ID token validation, userinfo and the refresh
 * token grant all go over HTTP.
 *
 * The OIDC and GitHub blocks and apiMarketplace.auth of
 * app-config.production.yaml are loaded into the same backend (secrets and
 * the company domain swapped for test values), so the production
 * configuration is what gets exercised, not a copy of it.
 */
import { fork, ChildProcess } from 'node:child_process';
import {
  createPublicKey,
  createVerify,
  type JsonWebKeyInput,
} from 'node:crypto';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import authPlugin from '@backstage/plugin-auth-backend';
import { parse as parseYaml } from 'yaml';
import { authModulePorticoSignIn } from './module';

jest.setTimeout(60_000);

const CLIENT_ID = 'portico-backstage';
const CLIENT_SECRET = 'portico-test-client-secret';
const REGISTRATION_TOKEN = 'portico-test-initial-access-token';

type IdpAccount = {
  email: string;
  password: string;
  sub: string;
  name: string;
  emailVerified?: boolean;
};

// The company's e-mail domain (apiMarketplace.auth.companyDomains).
const COMPANY_DOMAIN = 'portico.example';

// The IdP's subjects are deliberately unrelated to the emails: Backstage must
// resolve the user from the verified email, not from `sub`.
// A partner member that the catalog module has published.
const PAT: IdpAccount = {
  email: 'pat@partner.example',
  password: 'correct horse battery staple',
  sub: 'partner-7f3c9a',
  name: 'Pat Partner',
};
// A partner whose local part equals an employee's catalog name.
const PARTNER_ALICE: IdpAccount = {
  email: 'alice@partner.example',
  password: 'alice-at-the-partner',
  sub: 'partner-0a11ce',
  name: 'Alice (Partner Inc.)',
};
// That employee.
const EMPLOYEE_ALICE: IdpAccount = {
  email: `alice@${COMPANY_DOMAIN}`,
  password: 'alice-at-the-company',
  sub: 'employee-0a11ce',
  name: 'Alice Employee',
};
// A company address without a catalog user.
const UNKNOWN_EMPLOYEE: IdpAccount = {
  email: `mallory@${COMPANY_DOMAIN}`,
  password: 'mallory-password',
  sub: 'employee-3a1104',
  name: 'Mallory',
};
// An account whose email the IdP has not verified.
const UNVERIFIED: IdpAccount = {
  email: 'sam@partner.example',
  password: 'sam-password',
  sub: 'partner-5a3000',
  name: 'Sam Unverified',
  emailVerified: false,
};

// The auth blocks of the production config, as shipped.
const productionConfig = parseYaml(
  readFileSync(
    resolvePath(__dirname, '../../../../app-config.production.yaml'),
    'utf8',
  ),
);
const productionAuth = productionConfig.auth;

// ---------------------------------------------------------------------------
// A minimal browser: raw node:http (global fetch is blocked under
// backstage-cli's jest setup) plus a cookie jar keyed like a browser's (host
// without port, path prefix).

type HttpResponse = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
};

function request(
  method: string,
  url: URL,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent: false,
        headers: {
          ...(options.body !== undefined && {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': String(Buffer.byteLength(options.body)),
          }),
          ...options.headers,
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

type StoredCookie = { host: string; path: string; name: string; value: string };

class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  store(url: URL, setCookie: string[] | undefined) {
    for (const line of setCookie ?? []) {
      const [pair, ...attributes] = line.split(';').map(s => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = url.pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = false;
      for (const attribute of attributes) {
        const [key, attrValue = ''] = attribute.split('=');
        const lower = key.toLowerCase();
        if (lower === 'path') {
          path = attrValue;
        } else if (lower === 'max-age' && Number(attrValue) <= 0) {
          expired = true;
        } else if (
          lower === 'expires' &&
          new Date(attrValue).getTime() <= Date.now()
        ) {
          expired = true;
        }
      }
      const key = `${url.hostname};${path};${name}`;
      if (expired) {
        this.cookies.delete(key);
      } else {
        this.cookies.set(key, { host: url.hostname, path, name, value });
      }
    }
  }

  get(url: URL, name: string): string | undefined {
    return this.matching(url).find(c => c.name === name)?.value;
  }

  header(url: URL): string {
    return this.matching(url)
      .map(c => `${c.name}=${c.value}`)
      .join('; ');
  }

  private matching(url: URL): StoredCookie[] {
    return [...this.cookies.values()]
      .filter(
        c =>
          c.host === url.hostname &&
          (url.pathname === c.path ||
            url.pathname.startsWith(
              c.path.endsWith('/') ? c.path : `${c.path}/`,
            )),
      )
      .sort((a, b) => b.path.length - a.path.length);
  }
}

class Browser {
  readonly jar = new CookieJar();

  async send(
    method: string,
    url: URL,
    options: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<HttpResponse> {
    const cookie = this.jar.header(url);
    const res = await request(method, url, {
      ...options,
      headers: { ...options.headers, ...(cookie && { cookie }) },
    });
    this.jar.store(url, res.headers['set-cookie']);
    return res;
  }
}

// ---------------------------------------------------------------------------
// The test environment: IdP child process + Backstage backend.

function startOidcProvider(): Promise<{
  issuer: string;
  child: ChildProcess;
}> {
  const child = fork(
    resolvePath(__dirname, '__testUtils__/oidcTestProvider.mjs'),
    [],
    {
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        OIDC_TEST_CLIENT_ID: CLIENT_ID,
        OIDC_TEST_CLIENT_SECRET: CLIENT_SECRET,
        OIDC_TEST_REGISTRATION_TOKEN: REGISTRATION_TOKEN,
        OIDC_TEST_ACCOUNTS: JSON.stringify(
          Object.fromEntries(
            [
              PAT,
              PARTNER_ALICE,
              EMPLOYEE_ALICE,
              UNKNOWN_EMPLOYEE,
              UNVERIFIED,
            ].map(({ email, ...account }) => [email, account]),
          ),
        ),
      },
    },
  );
  let stderr = '';
  child.stderr?.on('data', chunk => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`OIDC provider did not start: ${stderr}`)),
      20_000,
    );
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`OIDC provider exited with ${code}: ${stderr}`));
    });
    child.once('message', (message: { type: string; issuer: string }) => {
      clearTimeout(timer);
      if (message.type === 'ready') {
        resolve({ issuer: message.issuer, child });
      } else {
        reject(new Error(`Unexpected message ${JSON.stringify(message)}`));
      }
    });
  });
}

let idp: ChildProcess | undefined;
let backendUrl: string;
let issuer: string;

beforeAll(async () => {
  // 1. The IdP, so that Backstage can discover it when the auth plugin starts.
  const started = await startOidcProvider();
  idp = started.child;
  issuer = started.issuer;

  const oidcEnvironment = {
    metadataUrl: `${issuer}/.well-known/openid-configuration`,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    prompt: 'auto',
  };

  // The production blocks, with only the deployment's secrets substituted.
  // (Their placeholders are checked in the tests below.)
  const productionOidc = productionAuth.providers.oidc.production;
  const productionGithub = productionAuth.providers.github.production;
  // Only the company domain is the deployment's.
  const productionSignIn = {
    ...productionConfig.apiMarketplace.auth,
    companyDomains: [COMPANY_DOMAIN],
  };

  // 2. Backstage.
  const backend = await startTestBackend({
    features: [
      authPlugin,
      authModulePorticoSignIn,
      // A catalog that knows an employee, and one partner member as the
      // catalog module publishes it (with an internal group added by hand,
      // which must not count).
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'User',
            metadata: { name: 'alice', namespace: 'default' },
            spec: {
              profile: { email: EMPLOYEE_ALICE.email },
              memberOf: ['employees'],
            },
            relations: [
              { type: 'memberOf', targetRef: 'group:default/employees' },
            ],
          },
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'User',
            metadata: { name: 'pat_at_partner.example', namespace: 'partners' },
            spec: { memberOf: ['group:partners/acme-freight'] },
            relations: [
              { type: 'memberOf', targetRef: 'group:partners/acme-freight' },
              { type: 'memberOf', targetRef: 'group:default/employees' },
            ],
          },
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          // The frontend origin the popup posts its message to. The backend's
          // own base URL is http://localhost:<random port>, set by
          // startTestBackend's discovery.
          app: { baseUrl: 'http://localhost:3000' },
          apiMarketplace: { auth: productionSignIn },
          auth: {
            environment: 'development',
            // The openid-client strategy keeps the PKCE verifier and state in
            // the session: without a session secret OIDC sign-in cannot work
            // (checked below against the production config).
            session: { secret: 'portico-test-session-secret' },
            providers: {
              oidc: {
                development: oidcEnvironment,
                // Same IdP and client, wrong secret: for the negative test.
                'wrong-secret': {
                  ...oidcEnvironment,
                  clientSecret: 'not-the-secret',
                },
                production: {
                  ...productionOidc,
                  metadataUrl: oidcEnvironment.metadataUrl,
                  clientId: CLIENT_ID,
                  clientSecret: CLIENT_SECRET,
                },
              },
              // Loading it checks that it has no signIn block, which would
              // stop the backend's startup.
              github: {
                production: {
                  ...productionGithub,
                  clientId: 'test-github-client-id',
                  clientSecret: 'test-github-client-secret',
                },
              },
            },
          },
        },
      }),
    ],
  });
  backendUrl = `http://localhost:${backend.server.port()}`;

  // 3. Register Backstage as a confidential web client at the IdP.
  const registration = await request('POST', new URL(`${issuer}/reg`), {
    headers: {
      authorization: `Bearer ${REGISTRATION_TOKEN}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      client_name: 'Portico (test)',
      application_type: 'web',
      redirect_uris: [`${backendUrl}/api/auth/oidc/handler/frame`],
      response_types: ['code'],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_basic',
    }),
  });
  const registered = JSON.parse(registration.body);
  if (
    registration.status !== 201 ||
    registered.client_id !== CLIENT_ID ||
    registered.client_secret !== CLIENT_SECRET
  ) {
    throw new Error(
      `Client registration failed: ${registration.status} ${registration.body}`,
    );
  }
});

afterAll(() => {
  idp?.disconnect();
  idp?.kill();
});

// ---------------------------------------------------------------------------
// Driving the authorization-code flow.

type AuthorizationResponse = {
  type: string;
  error?: { name: string; message: string };
  response?: {
    profile: { email?: string; displayName?: string };
    providerInfo: { idToken?: string; accessToken?: string; scope: string };
    backstageIdentity?: {
      token: string;
      identity: {
        type: string;
        userEntityRef: string;
        ownershipEntityRefs: string[];
      };
    };
  };
};

const callbackPrefix = () => `${backendUrl}/api/auth/oidc/handler/frame`;

/** Follows redirects until an HTML page, or until the IdP sends us back to Backstage. */
async function follow(
  browser: Browser,
  first: HttpResponse,
  firstUrl: URL,
): Promise<{ page?: { url: URL; html: string }; callbackUrl?: URL }> {
  let res = first;
  let url = firstUrl;
  for (let hops = 0; hops < 10; hops++) {
    if (res.status < 300 || res.status >= 400) {
      return { page: { url, html: res.body } };
    }
    url = new URL(res.headers.location!, url);
    if (url.href.startsWith(callbackPrefix())) {
      return { callbackUrl: url };
    }
    res = await browser.send('GET', url);
  }
  throw new Error('Too many redirects');
}

function formAction(page: { url: URL; html: string }): URL {
  const match = page.html.match(/<form method="post" action="([^"]+)"/);
  if (!match) {
    throw new Error(`No form on ${page.url}: ${page.html}`);
  }
  return new URL(match[1], page.url);
}

/**
 * Starts sign-in at Backstage and goes through the IdP's login and consent
 * pages. Returns the authorization response URL the IdP redirected to, without
 * delivering it to Backstage.
 */
async function authorizeAtIdp(
  browser: Browser,
  env: string,
  account: IdpAccount = PAT,
): Promise<URL> {
  const startUrl = new URL(`${backendUrl}/api/auth/oidc/start?env=${env}`);
  const start = await browser.send('GET', startUrl);
  expect(start.status).toBe(302);
  const authorizeUrl = new URL(start.headers.location!);
  expect(authorizeUrl.origin).toBe(issuer);
  expect(authorizeUrl.searchParams.get('client_id')).toBe(CLIENT_ID);
  expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(callbackPrefix());
  expect(authorizeUrl.searchParams.get('scope')?.split(' ').sort()).toEqual([
    'email',
    'openid',
    'profile',
  ]);
  expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorizeUrl.searchParams.has('prompt')).toBe(false); // prompt: auto

  let step = await follow(browser, start, startUrl);
  for (let i = 0; i < 5 && !step.callbackUrl; i++) {
    const page = step.page!;
    const action = formAction(page);
    const isLogin = page.html.includes('type="password"');
    const res = await browser.send('POST', action, {
      body: isLogin
        ? new URLSearchParams({
            email: account.email,
            password: account.password,
          }).toString()
        : '',
    });
    step = await follow(browser, res, action);
  }
  if (!step.callbackUrl) {
    throw new Error('The IdP never redirected back to Backstage');
  }
  return step.callbackUrl;
}

async function deliverToBackstage(
  browser: Browser,
  callbackUrl: URL,
): Promise<AuthorizationResponse> {
  const res = await browser.send('GET', callbackUrl);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/text\/html/);
  const match = res.body.match(
    /var authResponse = decodeURIComponent\('([^']*)'\)/,
  );
  if (!match) {
    throw new Error(`No postMessage payload in ${res.body}`);
  }
  return JSON.parse(decodeURIComponent(match[1]));
}

async function verifyBackstageToken(token: string) {
  const [headerB64, payloadB64, signatureB64] = token.split('.');
  const header = JSON.parse(Buffer.from(headerB64, 'base64url').toString());
  const jwks = await request(
    'GET',
    new URL(`${backendUrl}/api/auth/.well-known/jwks.json`),
  );
  const jwk = (
    JSON.parse(jwks.body).keys as Array<
      JsonWebKeyInput['key'] & { kid: string }
    >
  ).find(k => k.kid === header.kid);
  expect(jwk).toBeDefined();
  expect(header.alg).toBe('ES256');
  const valid = createVerify('SHA256')
    .update(`${headerB64}.${payloadB64}`)
    .verify(
      {
        key: createPublicKey({ key: jwk!, format: 'jwk' }),
        dsaEncoding: 'ieee-p1363',
      },
      Buffer.from(signatureB64, 'base64url'),
    );
  expect(valid).toBe(true);
  return JSON.parse(Buffer.from(payloadB64, 'base64url').toString());
}

const refreshCookieName = 'oidc-refresh-token';

// ---------------------------------------------------------------------------

/**
 * The whole browser flow for one environment: sign in at the IdP, deliver the
 * authorization response to /handler/frame, then /refresh with the cookie.
 * Returns the identities from both.
 */
async function signInAndRefresh(env: string, account: IdpAccount) {
  const browser = new Browser();
  const callbackUrl = await authorizeAtIdp(browser, env, account);
  expect(callbackUrl.searchParams.get('code')).toBeTruthy();
  expect(callbackUrl.searchParams.get('iss')).toBe(issuer);

  const message = await deliverToBackstage(browser, callbackUrl);
  expect(message.type).toBe('authorization_response');
  expect(message.error).toBeUndefined();
  const signIn = message.response!;
  expect(signIn.profile.email).toBe(account.email);
  expect(signIn.profile.displayName).toBe(account.name);
  expect(signIn.providerInfo.idToken).toBeTruthy();
  const claims = await verifyBackstageToken(signIn.backstageIdentity!.token);
  expect(claims.sub).toBe(signIn.backstageIdentity!.identity.userEntityRef);
  expect(claims.iss).toBe(`${backendUrl}/api/auth`);

  // The IdP's refresh token is now an httpOnly cookie scoped to the provider.
  const refreshUrl = new URL(`${backendUrl}/api/auth/oidc/refresh?env=${env}`);
  expect(browser.jar.get(refreshUrl, refreshCookieName)).toBeTruthy();

  // Refresh requires the XHR header (CSRF protection)...
  const noHeader = await browser.send('GET', refreshUrl);
  expect(noHeader.status).toBe(401);

  // ...and with it, Backstage uses the refresh token grant + userinfo at the
  // IdP and re-resolves the identity.
  const refresh = await browser.send('GET', refreshUrl, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(refresh.status).toBe(200);
  const refreshed = JSON.parse(refresh.body);
  expect(refreshed.profile.email).toBe(account.email);
  expect(refreshed.providerInfo.accessToken).toBeTruthy();
  expect(refreshed.providerInfo.accessToken).not.toBe(
    signIn.providerInfo.accessToken,
  );
  const refreshedClaims = await verifyBackstageToken(
    refreshed.backstageIdentity.token,
  );
  expect(refreshedClaims.sub).toBe(
    refreshed.backstageIdentity.identity.userEntityRef,
  );

  // Without the session cookie there is nothing to refresh.
  const anonymous = await new Browser().send('GET', refreshUrl, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(anonymous.status).toBe(401);

  return {
    signIn: signIn.backstageIdentity!.identity,
    refresh: refreshed.backstageIdentity.identity,
  };
}

// ---------------------------------------------------------------------------

describe('employee and partner sign-in through OIDC', () => {
  it('admits a partner who is not in the catalog as user:partners/<email>, owning only itself, and refreshes the session', async () => {
    const { signIn, refresh } = await signInAndRefresh(
      'development',
      PARTNER_ALICE,
    );
    const partner = {
      type: 'user',
      userEntityRef: 'user:partners/alice_at_partner.example',
      ownershipEntityRefs: ['user:partners/alice_at_partner.example'],
    };
    expect(signIn).toEqual(partner);
    expect(refresh).toEqual(partner);
  });

  it('keeps alice@partner.example apart from the employee alice@portico.example, with the production blocks', async () => {
    // Only the deployment's values were swapped for test ones, and no
    // resolver is configured: the module's are the only ones.
    expect(productionAuth.session?.secret).toBe('${AUTH_SESSION_SECRET}');
    expect(productionAuth.providers.oidc.production).toEqual({
      metadataUrl: '${AUTH_OIDC_METADATA_URL}',
      clientId: '${AUTH_OIDC_CLIENT_ID}',
      clientSecret: '${AUTH_OIDC_CLIENT_SECRET}',
      prompt: 'auto',
    });
    expect(productionConfig.apiMarketplace.auth).toEqual({
      companyDomains: ['${AUTH_COMPANY_DOMAIN}'],
    });

    // Same local part, outside the company: a partner identity, never the
    // employee (the stock emailLocalPartMatchingUserEntityName resolver made
    // this user:default/alice, with the employee's groups).
    const partner = await signInAndRefresh('production', PARTNER_ALICE);
    expect(partner.signIn).toEqual({
      type: 'user',
      userEntityRef: 'user:partners/alice_at_partner.example',
      ownershipEntityRefs: ['user:partners/alice_at_partner.example'],
    });
    expect(partner.refresh).toEqual(partner.signIn);

    // At the company's domain: the catalog employee, found by e-mail.
    const employee = await signInAndRefresh('production', EMPLOYEE_ALICE);
    const alice = {
      type: 'user',
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: ['user:default/alice', 'group:default/employees'],
    };
    expect(employee.signIn).toEqual(alice);
    expect(employee.refresh).toEqual(alice);
  });

  it('gives a partner member published in the catalog its partner organisation, and nothing internal', async () => {
    const { signIn, refresh } = await signInAndRefresh('production', PAT);
    const pat = {
      type: 'user',
      userEntityRef: 'user:partners/pat_at_partner.example',
      ownershipEntityRefs: [
        'user:partners/pat_at_partner.example',
        'group:partners/acme-freight',
      ],
    };
    expect(signIn).toEqual(pat);
    expect(refresh).toEqual(pat);
  });

  it('refuses a company address without a catalog user', async () => {
    const browser = new Browser();
    const callbackUrl = await authorizeAtIdp(
      browser,
      'production',
      UNKNOWN_EMPLOYEE,
    );
    const message = await deliverToBackstage(browser, callbackUrl);
    expect(message.response).toBeUndefined();
    expect(message.error).toMatchObject({
      name: 'NotAllowedError',
      message: `mallory@${COMPANY_DOMAIN} is a company address, but no catalog user has it as spec.profile.email`,
    });
  });

  it('refuses an email the IdP has not verified', async () => {
    const browser = new Browser();
    const callbackUrl = await authorizeAtIdp(browser, 'production', UNVERIFIED);
    const message = await deliverToBackstage(browser, callbackUrl);
    expect(message.response).toBeUndefined();
    expect(message.error?.message).toMatch(/does not contain an email/);
  });

  it('rejects a wrong password at the IdP', async () => {
    const browser = new Browser();
    const startUrl = new URL(
      `${backendUrl}/api/auth/oidc/start?env=development`,
    );
    const step = await follow(
      browser,
      await browser.send('GET', startUrl),
      startUrl,
    );
    const action = formAction(step.page!);
    const res = await browser.send('POST', action, {
      body: new URLSearchParams({
        email: PAT.email,
        password: 'wrong',
      }).toString(),
    });
    expect(res.status).toBe(401);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toContain('Invalid email or password');
  });

  it('fails the code exchange when Backstage has the wrong client secret', async () => {
    const browser = new Browser();
    const callbackUrl = await authorizeAtIdp(browser, 'wrong-secret');
    const message = await deliverToBackstage(browser, callbackUrl);
    expect(message.response).toBeUndefined();
    expect(message.error?.message).toMatch(/invalid_client/);
    expect(
      browser.jar.get(
        new URL(`${backendUrl}/api/auth/oidc/refresh`),
        refreshCookieName,
      ),
    ).toBeUndefined();
  });

  it('rejects a tampered state', async () => {
    const browser = new Browser();
    const callbackUrl = await authorizeAtIdp(browser, 'development');
    const state = new URLSearchParams(
      Buffer.from(callbackUrl.searchParams.get('state')!, 'hex').toString(),
    );
    const withState = (s: URLSearchParams) => {
      const url = new URL(callbackUrl);
      url.searchParams.set('state', Buffer.from(s.toString()).toString('hex'));
      return url;
    };

    // A state whose nonce does not match the browser's nonce cookie.
    const otherNonce = new URLSearchParams(state);
    otherNonce.set(
      'nonce',
      Buffer.from('forged-nonce-0123').toString('base64'),
    );
    const forged = await deliverToBackstage(browser, withState(otherNonce));
    expect(forged.response).toBeUndefined();
    expect(forged.error).toMatchObject({
      name: 'NotAllowedError',
      message: 'Invalid nonce',
    });

    // A state with the right nonce but altered content (a widened scope): the
    // nonce check passes, the check against the state sent to the IdP fails.
    const widened = new URLSearchParams(state);
    widened.set('scope', `${state.get('scope')} offline_access`);
    const altered = await deliverToBackstage(browser, withState(widened));
    expect(altered.response).toBeUndefined();
    expect(altered.error?.message).toMatch(/state mismatch/);

    // Neither attempt left a session behind.
    expect(
      browser.jar.get(
        new URL(`${backendUrl}/api/auth/oidc/refresh`),
        refreshCookieName,
      ),
    ).toBeUndefined();
  });

  it('loads the GitHub block of app-config.production.yaml and starts its flow', async () => {
    // No GitHub here: only that the block is accepted (a signIn block would
    // stop the backend at startup) and that sign-in is sent to GitHub.
    const start = await new Browser().send(
      'GET',
      new URL(`${backendUrl}/api/auth/github/start?env=production`),
    );
    expect(start.status).toBe(302);
    const location = new URL(start.headers.location!);
    expect(`${location.origin}${location.pathname}`).toBe(
      'https://github.com/login/oauth/authorize',
    );
    expect(location.searchParams.get('client_id')).toBe(
      'test-github-client-id',
    );
    expect(location.searchParams.get('redirect_uri')).toBe(
      `${backendUrl}/api/auth/github/handler/frame`,
    );
    expect(productionAuth.providers.github.production).toMatchObject({
      clientId: '${AUTH_GITHUB_CLIENT_ID}',
      clientSecret: '${AUTH_GITHUB_CLIENT_SECRET}',
    });
    // No resolver configured: the module's own (catalog user by GitHub node
    // id, else user:partners/github-<id>) is the only one.
    expect(productionAuth.providers.github.production.signIn).toBeUndefined();
  });
});
