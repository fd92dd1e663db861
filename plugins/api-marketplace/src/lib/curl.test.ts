import { parseCurl, shellWords, toJavaScript, toPython } from './curl';

// As the backend writes it: the key as a shell variable, the rest quoted by toCurl.
const post = [
  'curl --request POST',
  "--url 'https://sandbox.example.com/tracking/shipments?dry=true'",
  '--header "Authorization: Bearer $PORTICO_KEY"',
  "--header 'x-api-key: <redacted>'",
  "--header 'content-type: application/json'",
  `--data-raw '{"to":"O'\\''Hare","parcels":[{"weightKg":2,"fragile":false,"note":null}]}'`,
].join(' \\\n  ');

describe('curl', () => {
  it('splits shell words with quotes, escapes and line continuations', () => {
    expect(shellWords(`curl 'a b' "c \\"d\\"" e\\ f \\\n  'it'\\''s'`)).toEqual(
      ['curl', 'a b', 'c "d"', 'e f', "it's"],
    );
  });

  it('reads back the request the backend describes', () => {
    expect(parseCurl(post)).toEqual({
      method: 'POST',
      url: 'https://sandbox.example.com/tracking/shipments?dry=true',
      headers: [
        ['Authorization', 'Bearer $PORTICO_KEY'],
        ['x-api-key', '<redacted>'],
        ['content-type', 'application/json'],
      ],
      body: '{"to":"O\'Hare","parcels":[{"weightKg":2,"fragile":false,"note":null}]}',
    });
    expect(parseCurl("curl --head --url 'https://x.test/'")?.method).toBe(
      'HEAD',
    );
  });

  it('gives up on what it cannot read', () => {
    expect(parseCurl('wget https://x.test')).toBeUndefined();
    expect(parseCurl("curl --url 'unterminated")).toBeUndefined();
    expect(parseCurl('curl --compressed https://x.test')).toBeUndefined();
  });

  it('writes the same request for fetch, with the key from PORTICO_KEY', () => {
    const code = toJavaScript(parseCurl(post)!);
    expect(code).toContain(
      'await fetch("https://sandbox.example.com/tracking/shipments?dry=true", {',
    );
    expect(code).toContain('const PORTICO_KEY = process.env.PORTICO_KEY;');
    expect(code).toContain('method: "POST"');
    expect(code).toContain('"Authorization": `Bearer ${PORTICO_KEY}`,');
    expect(code).toContain('"x-api-key": PORTICO_KEY,');
    expect(code).toContain('"to": "O\'Hare"');
    // The body is valid JavaScript that evaluates to the same JSON.
    const literal = code.slice(
      code.indexOf('JSON.stringify(') + 'JSON.stringify('.length,
      code.lastIndexOf('),'),
    );
    // eslint-disable-next-line no-new-func
    expect(new Function(`return (${literal});`)()).toEqual({
      to: "O'Hare",
      parcels: [{ weightKg: 2, fragile: false, note: null }],
    });
  });

  it('writes the same request for Python requests', () => {
    const code = toPython(parseCurl(post)!);
    expect(code).toContain('PORTICO_KEY = os.environ["PORTICO_KEY"]');
    expect(code).toContain('"Authorization": f"Bearer {PORTICO_KEY}",');
    expect(code).toContain('"x-api-key": PORTICO_KEY,');
    expect(code).toContain('"fragile": False,');
    expect(code).toContain('"note": None,');
    expect(code).toContain(
      'response = requests.request("POST", "https://sandbox.example.com/tracking/shipments?dry=true", headers=headers, json=payload, timeout=30)',
    );
  });
});
