import { InputError, NotAllowedError } from '@backstage/errors';
import {
  BuildTargetInput,
  BuiltRequest,
  buildTarget,
  resolveAndCheckHost,
} from './buildTarget';
import { embeddedIPv4, nonPublicReason } from './hostCheck';

const BASE = 'https://sandbox.example.com/tracking/v1';
const TEMPLATE = '/parcels/{parcelId}';

function attempt(input: Partial<BuildTargetInput>): BuiltRequest | Error {
  try {
    return buildTarget({
      baseUrl: BASE,
      pathTemplate: TEMPLATE,
      pathParams: { parcelId: 'PX-1' },
      ...input,
    });
  } catch (error) {
    return error as Error;
  }
}

const SLASH = /path parameter 'parcelId' must not contain '\/' or '\\'/;
const DOTS = /path parameter 'parcelId' must not be '\.' or contain '\.\.'/;
const CONTROL =
  /path parameter 'parcelId' contains a control character \(CR, LF, NUL/;

describe('buildTarget', () => {
  describe('hostile path parameters', () => {
    const refused: Array<[string, string, RegExp]> = [
      ['dot-dot-slash traversal', '../admin', SLASH],
      ['bare dot-dot', '..', DOTS],
      ['single dot', '.', DOTS],
      ['dot-dot with text', 'a..b', DOTS],
      ['encoded dot-dot', '%2e%2e', DOTS],
      ['encoded dot-dot, upper case', '%2E%2E', DOTS],
      ['encoded traversal with encoded slash', '%2e%2e%2fadmin', SLASH],
      ['double-encoded dot-dot', '%252e%252e', DOTS],
      ['double-encoded traversal', '%252e%252e%252fadmin', SLASH],
      ['triple-encoded slash', '%25252f', SLASH],
      ['dot-dot with encoded backslash', '..%5c', DOTS],
      ['encoded backslash traversal', '%2e%2e%5cadmin', SLASH],
      ['backslash host', '\\\\evil', SLASH],
      ['protocol-relative host', '//evil.example', SLASH],
      ['absolute URL', 'http://evil.example', SLASH],
      ['encoded absolute URL', 'http%3A%2F%2Fevil.example', SLASH],
      ['CRLF header injection', 'a\r\nHost: evil', CONTROL],
      ['encoded CRLF', '%0d%0aSet-Cookie:%20x=1', CONTROL],
      ['double-encoded CRLF', '%250d%250a', CONTROL],
      ['NUL byte', 'abc\u0000', CONTROL],
      ['encoded NUL', 'abc%00', CONTROL],
      ['DEL character', 'abc\u007f', CONTROL],
      ['Unicode line separator', 'a\u2028b', CONTROL],
      ['fullwidth dots', '\uff0e\uff0e', DOTS],
      ['encoded fullwidth dots', '%EF%BC%8E%EF%BC%8E', DOTS],
      ['two-dot leader', '\u2025', DOTS],
      ['ideographic full stops', '\u3002\u3002', DOTS],
      ['fullwidth solidus', '\uff0fadmin', SLASH],
      ['division slash', '\u2215admin', SLASH],
      ['fullwidth reverse solidus', '\uff3cadmin', SLASH],
      ['overlong value', 'a'.repeat(1025), /is longer than 1024 characters/],
      ['empty value', '', /must not be empty/],
    ];

    it.each(refused)('refuses %s', (_name, value, message) => {
      const result = attempt({ pathParams: { parcelId: value } });
      expect(result).toBeInstanceOf(InputError);
      expect((result as Error).message).toMatch(message);
    });

    const encoded: Array<[string, string, string]> = [
      ['an ordinary id', 'PX-123', '/parcels/PX-123'],
      ['userinfo-looking value', '@evil.example', '/parcels/%40evil.example'],
      ['leading-dot host', '.evil.example', '/parcels/.evil.example'],
      ['port-looking value', 'evil.example:443', '/parcels/evil.example%3A443'],
      ['query and fragment', 'PX 1?x=#y', '/parcels/PX%201%3Fx%3D%23y'],
      ['matrix parameters', 'a;b=c', '/parcels/a%3Bb%3Dc'],
      ['literal percent', '100%', '/parcels/100%25'],
      ['overlong UTF-8 dots', '%c0%ae%c0%ae', '/parcels/%25c0%25ae%25c0%25ae'],
      ['sub-delimiters', "it's(a)*!", '/parcels/it%27s%28a%29%2A%21'],
      ['non-ASCII text', 'é€', '/parcels/%C3%A9%E2%82%AC'],
      ['a number', 42 as any, '/parcels/42'],
    ];

    it.each(encoded)('encodes %s', (_name, value, path) => {
      const result = attempt({ pathParams: { parcelId: value } });
      expect(result).not.toBeInstanceOf(Error);
      const built = result as BuiltRequest;
      expect(built.url).toBe(`${BASE}${path}`);
      expect(new URL(built.url).origin).toBe('https://sandbox.example.com');
    });

    it('refuses a parameter that is not in the template, and a missing one', () => {
      expect(
        (attempt({ pathParams: { parcelId: 'a', admin: 'x' } }) as Error)
          .message,
      ).toBe(
        "path parameter 'admin' is not in the operation path '/parcels/{parcelId}'",
      );
      expect((attempt({ pathParams: {} }) as Error).message).toBe(
        "path parameter 'parcelId' is missing",
      );
      expect(
        (attempt({ pathParams: { parcelId: { $ne: 1 } as any } }) as Error)
          .message,
      ).toBe("path parameter 'parcelId' must be a string, number or boolean");
    });
  });

  describe('a sandbox URL without a path', () => {
    const bare = (value: string) =>
      attempt({
        baseUrl: 'http://sandbox.example.com',
        pathTemplate: '/{id}',
        pathParams: { id: value },
      });

    it.each([
      ['.evil.example', 'http://sandbox.example.com/.evil.example'],
      ['@evil.example', 'http://sandbox.example.com/%40evil.example'],
      [':8080', 'http://sandbox.example.com/%3A8080'],
      ['evil.example@', 'http://sandbox.example.com/evil.example%40'],
      ['%40evil.example', 'http://sandbox.example.com/%2540evil.example'],
    ])('cannot be steered to another host by %j', (value, url) => {
      const built = bare(value) as BuiltRequest;
      expect(built.url).toBe(url);
      const parsed = new URL(built.url);
      expect(parsed.host).toBe('sandbox.example.com');
      expect(parsed.username).toBe('');
    });

    it.each(['//evil.example', '/evil.example', '\\evil.example', '..'])(
      'refuses %j',
      value => {
        expect(bare(value)).toBeInstanceOf(InputError);
      },
    );

    it('keeps a trailing-slash base at the same place', () => {
      const built = attempt({
        baseUrl: 'http://sandbox.example.com/',
        pathTemplate: '/status',
        pathParams: {},
      }) as BuiltRequest;
      expect(built.url).toBe('http://sandbox.example.com/status');
    });
  });

  describe('hostile operation paths from a spec', () => {
    it.each([
      ['../admin', /must start with \//],
      ['evil.example/x', /must start with \//],
      ['/a/../admin', /contains a \. or \.\. segment/],
      ['/a/./b', /contains a \. or \.\. segment/],
      ['//evil.example/x', /contains \/\//],
      ['/a\\b', /contains a control character, space, \\, \?, # or %/],
      ['/a?x=1', /contains a control character, space, \\, \?, # or %/],
      ['/a%2f..', /contains a control character, space, \\, \?, # or %/],
      ['/a/{id', /braces are unbalanced/],
      ['/a/{}', /empty \{\} parameter/],
    ])('refuses %j', (template, message) => {
      const result = attempt({ pathTemplate: template, pathParams: {} });
      expect(result).toBeInstanceOf(InputError);
      expect((result as Error).message).toMatch(message);
    });
  });

  describe('base URLs', () => {
    it.each([
      ['ftp://sandbox.example.com', /must use http or https/],
      ['file:///etc/passwd', /must use http or https/],
      ['https://user:pw@sandbox.example.com', /must not contain credentials/],
      ['/relative', /is not an absolute URL/],
      ['https://sandbox.example.com/#x', /must not contain a fragment/],
    ])('refuses %j', (baseUrl, message) => {
      const result = attempt({ baseUrl });
      expect(result).toBeInstanceOf(InputError);
      expect((result as Error).message).toMatch(message);
    });
  });

  describe('query parameters', () => {
    it.each([
      [{ q: 'a\r\nHost: evil' }, /query parameter 'q' contains a control/],
      [{ q: 'a\nb' }, /query parameter 'q' contains a control/],
      [{ q: ['ok', 'x\u0000'] }, /query parameter 'q' contains a control/],
      [{ 'a\r\nb': 'x' }, /a query parameter name contains a control/],
      [{ q: 'x'.repeat(4097) }, /query parameter 'q' is longer than 4096/],
      [{ q: { a: 1 } as any }, /must be a string, number or boolean/],
    ])('refuses %j', (query, message) => {
      const result = attempt({ query });
      expect(result).toBeInstanceOf(InputError);
      expect((result as Error).message).toMatch(message);
    });

    it('encodes values so they cannot add parameters or leave the query', () => {
      const built = attempt({
        query: {
          redirect: 'http://evil.example/',
          q: 'a&admin=true#frag',
          crlf: '%0d%0a',
          tag: ['a', 'b'],
          limit: 10,
          skip: undefined,
        },
      }) as BuiltRequest;
      expect(built.url).toBe(
        `${BASE}/parcels/PX-1?redirect=http%3A%2F%2Fevil.example%2F&q=a%26admin%3Dtrue%23frag&crlf=%250d%250a&tag=a&tag=b&limit=10`,
      );
    });

    it('keeps the base URL query and refuses to override it', () => {
      const base = 'https://sandbox.example.com/v1?tenant=demo';
      expect(
        (attempt({ baseUrl: base, query: { x: '1' } }) as BuiltRequest).url,
      ).toBe('https://sandbox.example.com/v1/parcels/PX-1?tenant=demo&x=1');
      expect(
        (attempt({ baseUrl: base, query: { tenant: 'prod' } }) as Error)
          .message,
      ).toBe(
        "query parameter 'tenant' is set by the sandbox base URL and cannot be overridden",
      );
    });

    it('bounds the number of parameters', () => {
      const query = Object.fromEntries(
        Array.from({ length: 101 }, (_, i) => [`p${i}`, 'x']),
      );
      expect((attempt({ query }) as Error).message).toBe(
        'at most 100 query parameters are allowed',
      );
    });
  });

  describe('headers', () => {
    it.each([
      ['Host', 'evil.example'],
      ['Authorization', 'Bearer stolen'],
      ['Cookie', 'session=1'],
      ['Transfer-Encoding', 'chunked'],
      ['Connection', 'close'],
      ['Keep-Alive', 'timeout=5'],
      ['Upgrade', 'websocket'],
      ['TE', 'trailers'],
      ['Content-Length', '0'],
      ['X-Forwarded-For', '127.0.0.1'],
      ['X-Forwarded-Host', 'evil.example'],
      ['Forwarded', 'for=127.0.0.1'],
      ['X-Real-IP', '127.0.0.1'],
      ['X-Portico-Partner', 'acme'],
      ['x-portico-internal', '1'],
      ['X-API-Key', 'someone-elses-key'],
      ['x-api-key', 'someone-elses-key'],
      ['Proxy-Authorization', 'Basic x'],
      ['X-Original-URL', '/admin'],
    ])('drops %s', (name, value) => {
      const built = attempt({
        headers: { [name]: value, Accept: 'application/json' },
      }) as BuiltRequest;
      expect(built.headers).toEqual({ accept: 'application/json' });
      expect(built.droppedHeaders).toEqual([name.toLowerCase()]);
    });

    it('drops headers that a Connection header names', () => {
      const built = attempt({
        headers: { Connection: 'X-Secret-Hop', 'X-Secret-Hop': '1', A: 'b' },
      }) as BuiltRequest;
      expect(built.headers).toEqual({ a: 'b' });
      expect(built.droppedHeaders).toEqual(['connection', 'x-secret-hop']);
    });

    it.each([
      [
        { 'X-Custom': 'a\r\nX-Injected: 1' },
        /header 'X-Custom' contains a control/,
      ],
      [{ 'X-Custom': 'a\nb' }, /header 'X-Custom' contains a control/],
      [{ 'X-Custom': 'a\u0000' }, /header 'X-Custom' contains a control/],
      [{ Host: 'ok\r\nX-Injected: 1' }, /header 'Host' contains a control/],
      [{ 'X-A': ['ok', 'b\r\n'] }, /header 'X-A' contains a control/],
      [{ 'X-Bad Name': 'x' }, /is not a valid HTTP header name/],
      [{ 'X-Bad:Name': 'x' }, /is not a valid HTTP header name/],
      [{ 'X-A\r\nB': 'x' }, /is not a valid HTTP header name/],
      [{ 'X-Big': 'x'.repeat(8193) }, /header 'X-Big' is longer than 8192/],
      [{ 'X-A': 1 as any }, /header 'X-A' must be a string/],
    ])('refuses %j', (headers, message) => {
      const result = attempt({ headers });
      expect(result).toBeInstanceOf(InputError);
      expect((result as Error).message).toMatch(message);
    });

    it('bounds the count and total size of headers', () => {
      const many = Object.fromEntries(
        Array.from({ length: 51 }, (_, i) => [`x-h${i}`, 'v']),
      );
      expect((attempt({ headers: many }) as Error).message).toBe(
        'at most 50 headers are allowed',
      );
      const big = Object.fromEntries(
        Array.from({ length: 3 }, (_, i) => [`x-h${i}`, 'v'.repeat(8000)]),
      );
      expect((attempt({ headers: big }) as Error).message).toBe(
        'headers are larger than 16384 bytes in total',
      );
    });

    it('keeps safe headers, lower-cased, and adds trusted ones last', () => {
      const built = attempt({
        headers: {
          Accept: ['application/json', 'text/plain'],
          'X-Request-Id': ' abc\t',
          'X-API-Key': 'user-supplied',
        },
        trustedHeaders: { 'X-API-Key': 'sandbox-key' },
      }) as BuiltRequest;
      expect(built.headers).toEqual({
        accept: 'application/json, text/plain',
        'x-request-id': 'abc',
        'x-api-key': 'sandbox-key',
      });
      expect(built.droppedHeaders).toEqual(['x-api-key']);
    });
  });

  describe('methods and bodies', () => {
    it.each(['TRACE', 'CONNECT', 'GET /x HTTP/1.1\r\n'])(
      'refuses method %j',
      method => {
        expect(attempt({ method })).toBeInstanceOf(InputError);
      },
    );

    it('serialises JSON bodies and refuses bodies on GET', () => {
      const built = attempt({
        method: 'post',
        body: { name: 'a' },
      }) as BuiltRequest;
      expect(built.method).toBe('POST');
      expect(built.body).toBe('{"name":"a"}');
      expect(built.headers['content-type']).toBe('application/json');
      expect((attempt({ body: 'x' }) as Error).message).toBe(
        'a GET request cannot have a body',
      );
      expect(
        (
          attempt({
            method: 'POST',
            body: 'x'.repeat(11),
            limits: { maxBodyBytes: 10 },
          }) as Error
        ).message,
      ).toBe('request body is larger than 10 bytes');
    });
  });
});

describe('resolveAndCheckHost', () => {
  const noDns = async () => {
    throw new Error('no DNS in tests');
  };

  it.each([
    ['127.0.0.1', /loopback/],
    ['127.255.255.254', /loopback/],
    ['10.0.0.1', /private range 10\.0\.0\.0\/8/],
    ['172.16.0.1', /private range 172\.16\.0\.0\/12/],
    ['172.31.255.255', /private range 172\.16\.0\.0\/12/],
    ['192.168.1.1', /private range 192\.168\.0\.0\/16/],
    ['169.254.169.254', /link-local.*metadata/],
    ['169.254.0.1', /link-local/],
    ['0.0.0.0', /"this network"/],
    ['100.100.100.200', /carrier-grade NAT/],
    ['224.0.0.1', /multicast/],
    ['255.255.255.255', /reserved|broadcast/],
    ['2130706433', /127\.0\.0\.1 is in the loopback/],
    ['0177.0.0.1', /127\.0\.0\.1 is in the loopback/],
    ['0x7f.0.0.1', /127\.0\.0\.1 is in the loopback/],
    ['0x7f000001', /127\.0\.0\.1 is in the loopback/],
    ['017700000001', /127\.0\.0\.1 is in the loopback/],
    ['127.1', /127\.0\.0\.1 is in the loopback/],
    ['0', /0\.0\.0\.0/],
    ['0xa9fea9fe', /169\.254\.169\.254/],
    ['2852039166', /169\.254\.169\.254/],
    ['[::1]', /loopback address ::1/],
    ['[::]', /unspecified/],
    ['[fc00::1]', /unique-local/],
    ['[fd00:ec2::254]', /unique-local/],
    ['[fe80::1]', /link-local range fe80/],
    ['[::ffff:127.0.0.1]', /embeds 127\.0\.0\.1/],
    ['[::ffff:7f00:1]', /embeds 127\.0\.0\.1/],
    ['[::ffff:169.254.169.254]', /embeds 169\.254\.169\.254/],
    ['[::ffff:10.0.0.1]', /embeds 10\.0\.0\.1/],
    ['[::ffff:0:127.0.0.1]', /embeds 127\.0\.0\.1/],
    ['[::127.0.0.1]', /embeds 127\.0\.0\.1/],
    ['[64:ff9b::a9fe:a9fe]', /embeds 169\.254\.169\.254/],
    ['[2002:7f00:1::]', /embeds 127\.0\.0\.1/],
  ])('refuses %s', async (host, message) => {
    const error = await resolveAndCheckHost(`http://${host}:8080/x`, {
      lookup: noDns,
    }).catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/allow-list/);
  });

  it('refuses localhost as the resolver answers it (no network needed)', async () => {
    const error = await resolveAndCheckHost('http://localhost:7007/', {
      lookup: async () => [
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ],
    }).catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toMatch(/sandbox host 'localhost' is not allowed/);
  });

  it('refuses a host when any of its addresses is private', async () => {
    const error = await resolveAndCheckHost('https://mixed.example/', {
      lookup: async () => [
        { address: '93.184.216.34', family: 4 },
        { address: '10.1.2.3', family: 4 },
      ],
    }).catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toMatch(/10\.1\.2\.3/);
  });

  it('accepts public addresses and pins the first', async () => {
    await expect(
      resolveAndCheckHost('https://93.184.216.34/', { lookup: noDns }),
    ).resolves.toEqual({
      hostname: '93.184.216.34',
      address: '93.184.216.34',
      family: 4,
      allowListed: false,
    });
    await expect(
      resolveAndCheckHost('https://api.example.com/', {
        lookup: async () => [
          { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
          { address: '93.184.216.34', family: 4 },
        ],
      }),
    ).resolves.toMatchObject({
      address: '2606:2800:220:1:248:1893:25c8:1946',
      family: 6,
    });
    await expect(
      resolveAndCheckHost('http://[::ffff:8.8.8.8]/', { lookup: noDns }),
    ).resolves.toMatchObject({ allowListed: false });
  });

  it('lets the operator allow-list a hostname, an address or a range', async () => {
    const lookup = async () => [{ address: '127.0.0.1', family: 4 as const }];
    await expect(
      resolveAndCheckHost('http://localhost:7007/', {
        allowPrivate: ['localhost'],
        lookup,
      }),
    ).resolves.toEqual({
      hostname: 'localhost',
      address: '127.0.0.1',
      family: 4,
      allowListed: true,
    });
    await expect(
      resolveAndCheckHost('http://127.0.0.1/', {
        allowPrivate: ['127.0.0.0/8'],
      }),
    ).resolves.toMatchObject({ allowListed: true });
    await expect(
      resolveAndCheckHost('http://[::ffff:127.0.0.1]/', {
        allowPrivate: ['127.0.0.1'],
      }),
    ).resolves.toMatchObject({ allowListed: true });
    await expect(
      resolveAndCheckHost('http://[::1]/', { allowPrivate: ['[::1]'] }),
    ).resolves.toMatchObject({ address: '::1', family: 6 });
    // The allow-list is exact: another range, or another name, stays refused.
    await expect(
      resolveAndCheckHost('http://10.0.0.1/', {
        allowPrivate: ['127.0.0.0/8', 'localhost'],
      }),
    ).rejects.toThrow(NotAllowedError);
    await expect(
      resolveAndCheckHost('http://127.0.0.1.nip.io/', {
        allowPrivate: ['localhost'],
        lookup,
      }),
    ).rejects.toThrow(NotAllowedError);
  });

  it('refuses bad allow-list entries, schemes and unresolvable hosts', async () => {
    await expect(
      resolveAndCheckHost('http://127.0.0.1/', {
        allowPrivate: ['10.0.0.0/33'],
      }),
    ).rejects.toThrow(/invalid prefix length/);
    await expect(
      resolveAndCheckHost('http://127.0.0.1/', { allowPrivate: ['a b'] }),
    ).rejects.toThrow(InputError);
    await expect(
      resolveAndCheckHost('file:///etc/passwd', { lookup: noDns }),
    ).rejects.toThrow(/must use http or https/);
    await expect(
      resolveAndCheckHost('http://nowhere.invalid/', { lookup: noDns }),
    ).rejects.toThrow(/could not be resolved: no DNS in tests/);
  });

  it('reads IPv4 out of every IPv6 form that embeds it', () => {
    expect(embeddedIPv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedIPv4('::ffff:0:a9fe:a9fe')).toBe('169.254.169.254');
    expect(embeddedIPv4('64:ff9b::10.0.0.1')).toBe('10.0.0.1');
    expect(embeddedIPv4('2002:c0a8:101::1')).toBe('192.168.1.1');
    expect(embeddedIPv4('2001:db8::1')).toBeUndefined();
    expect(nonPublicReason('8.8.8.8')).toBeUndefined();
    expect(nonPublicReason('2606:4700::1111')).toBeUndefined();
  });
});
