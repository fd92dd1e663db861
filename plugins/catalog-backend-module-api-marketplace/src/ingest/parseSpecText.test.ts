import { parseSpecText } from './parseSpecText';

const options = { name: 'spec', maxBytes: 1024 };

describe('parseSpecText', () => {
  it('parses JSON as JSON and YAML as YAML', () => {
    expect(parseSpecText('{"openapi": "3.1.0"}', options)).toEqual({
      document: { openapi: '3.1.0' },
      format: 'json',
    });
    expect(parseSpecText('openapi: 3.1.0\n', options)).toEqual({
      document: { openapi: '3.1.0' },
      format: 'yaml',
    });
  });

  it('takes YAML flow mappings that are not JSON as YAML', () => {
    expect(parseSpecText('{ openapi: 3.1.0 }', options).format).toBe('yaml');
  });

  it('reports the JSON error of text meant as JSON', () => {
    expect(() => parseSpecText('{ "a": 1 "b": 2 }', options)).toThrow(
      /^spec is not valid JSON: /,
    );
    expect(() =>
      parseSpecText('openapi: 3.1.0', { ...options, hint: 'json' }),
    ).toThrow(/^spec is not valid JSON: /);
  });

  it('reports YAML errors with their position', () => {
    expect(() => parseSpecText('a: [1, 2\nb: 3\n', options)).toThrow(
      /^spec is not valid YAML: .* at line \d+, column \d+$/,
    );
    expect(() => parseSpecText('a: 1\n---\nb: 2\n', options)).toThrow(
      /^spec is not valid YAML: Source contains multiple documents/,
    );
  });

  it('refuses exponential alias expansion', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) {
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    }
    expect(() =>
      parseSpecText(lines.join('\n'), { ...options, maxBytes: 1e6 }),
    ).toThrow(/Excessive alias count/);
  });

  it('checks the size before parsing', () => {
    expect(() => parseSpecText(`# ${'x'.repeat(2000)}`, options)).toThrow(
      'spec is 2 kB, above the limit of 1 kB',
    );
    expect(() => parseSpecText('  \n', options)).toThrow('spec is empty');
  });
});
