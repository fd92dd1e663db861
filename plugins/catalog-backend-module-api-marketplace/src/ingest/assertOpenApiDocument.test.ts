import { assertOpenApiDocument, specVersionOf } from './assertOpenApiDocument';

const info = { title: 'T', version: '1.0.0' };

function check(document: unknown) {
  assertOpenApiDocument(document, 'spec');
  return specVersionOf(document);
}

describe('assertOpenApiDocument', () => {
  it('accepts OpenAPI 3.0, 3.1 and Swagger 2.0', () => {
    expect(check({ openapi: '3.0.3', info, paths: {} })).toBe('OpenAPI 3.0.3');
    expect(check({ openapi: '3.1.1', info, paths: {} })).toBe('OpenAPI 3.1.1');
    expect(check({ swagger: '2.0', info, paths: {} })).toBe('Swagger 2.0');
    // 3.1 documents may have webhooks or components only.
    expect(check({ openapi: '3.1.0', info, webhooks: {} })).toBe(
      'OpenAPI 3.1.0',
    );
  });

  it.each([
    ['a list', [1, 2], 'expected a mapping at the top level, found a list'],
    ['text', 'hello', 'found the text "hello"'],
    [
      'an AsyncAPI document',
      { asyncapi: '3.0.0', info },
      'spec is an AsyncAPI 3.0.0 document, not OpenAPI',
    ],
    [
      'a random document',
      { steps: [] },
      'it has neither an "openapi" nor a "swagger" field',
    ],
    [
      'OpenAPI 3.2',
      { openapi: '3.2.0', info, paths: {} },
      'unsupported OpenAPI version 3.2.0; supported are Swagger 2.0, OpenAPI 3.0.x and 3.1.x',
    ],
    [
      'a numeric version',
      { openapi: 3.1, info, paths: {} },
      '"openapi" must be a version string such as "3.0.3", not a number',
    ],
    [
      'Swagger 1.2',
      { swagger: '1.2', info, paths: {} },
      'unsupported Swagger version "1.2"',
    ],
    ['no info', { openapi: '3.0.3', paths: {} }, 'has no "info" object'],
    [
      'a numeric info.version',
      { openapi: '3.0.3', info: { title: 'T', version: 1 }, paths: {} },
      '"info.version" must be a string such as "1.0.0", not a number',
    ],
    ['no paths', { openapi: '3.0.3', info }, 'has no "paths"'],
    [
      'paths as a list',
      { openapi: '3.0.3', info, paths: [] },
      '"paths" must be a mapping',
    ],
  ])('refuses %s', (_, document, message) => {
    expect(() => check(document)).toThrow(message);
  });
});
