import { mockServices } from '@backstage/backend-test-utils';
import { sha256 } from '../ingest/SpecIngester';
import { SpecLinter, SpecLinterOptions } from './SpecLinter';

const yamlSpec = `openapi: 3.0.3
info:
  title: Lint me
  version: 1.0.0
paths:
  /things/{id}:
    get:
      responses:
        '200':
          description: ok
`;

const spec = (definition: string, format: 'json' | 'yaml' = 'yaml') => ({
  definition,
  format,
  hash: sha256(definition),
});

describe('SpecLinter', () => {
  let linter: SpecLinter;
  const create = (options: Partial<SpecLinterOptions> = {}) => {
    linter = new SpecLinter({
      logger: mockServices.logger.mock(),
      waitMs: 60_000,
      timeoutMs: 60_000,
      concurrency: 2,
      ...options,
    });
    return linter;
  };
  afterEach(() => linter.close());

  it('lints with the Spectral oas ruleset in a worker', async () => {
    const summary = await create().lint(spec(yamlSpec));
    expect(summary.ruleset).toBe('spectral:oas');
    expect(summary.skipped).toBeUndefined();
    const codes = summary.findings.map(f => f.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'oas3-api-servers',
        'info-contact',
        'operation-operationId',
        'path-params',
      ]),
    );
    expect(summary.errors).toBeGreaterThan(0); // the undeclared {id}
    expect(summary.findings[0].severity).toBe('error');
    expect(summary.findings.find(f => f.code === 'path-params')?.path).toBe(
      'paths./things/{id}.get',
    );
  });

  it('lints JSON and Swagger 2.0', async () => {
    const swagger = JSON.stringify({
      swagger: '2.0',
      info: { title: 'Old', version: '1' },
      paths: {},
    });
    const summary = await create().lint(spec(swagger, 'json'));
    expect(summary.skipped).toBeUndefined();
    expect(summary.findings.map(f => f.code)).toContain('oas2-api-host');
  });

  it('lints each spec once', async () => {
    create();
    const first = await linter.lint(spec(yamlSpec));
    const started = Date.now();
    const second = await linter.lint(spec(yamlSpec));
    expect(second).toBe(first);
    expect(Date.now() - started).toBeLessThan(50);
  });

  it('records a lint that outlives the timeout as skipped', async () => {
    const logger = mockServices.logger.mock();
    const summary = await create({ timeoutMs: 1, logger }).lint(spec(yamlSpec));
    expect(summary.skipped).toBe('timeout');
    expect(summary.findings[0].message).toBe(
      'Lint skipped: timeout after 1 ms',
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/timed out after 1 ms/),
    );
  });

  it('returns a pending result after waitMs and the real one later', async () => {
    create({ waitMs: 1 });
    const first = await linter.lint(spec(yamlSpec));
    expect(first.skipped).toBe('pending');
    expect(first.findings[0].code).toBe('lint-pending');

    let later = first;
    for (let i = 0; i < 100 && later.skipped; i++) {
      await new Promise(resolve => setTimeout(resolve, 100));
      later = await linter.lint(spec(yamlSpec));
    }
    expect(later.skipped).toBeUndefined();
    expect(later.findings.length).toBeGreaterThan(1);
  });
});
