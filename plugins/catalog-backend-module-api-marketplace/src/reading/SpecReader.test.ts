import path from 'node:path';
import { NotModifiedError } from '@backstage/errors';
import {
  SpecServer,
  startSpecServer,
  unreachableUrl,
} from '../__testUtils__/specServer';
import { FIXTURES, createSpecTools } from '../__testUtils__/specTools';

describe('SpecReader', () => {
  const { reader } = createSpecTools();

  describe('resolve', () => {
    const fileBase = {
      type: 'file' as const,
      target: '/repo/apis/catalog-info.yaml',
    };
    const urlBase = {
      type: 'url' as const,
      target:
        'https://github.com/acme/apis/blob/main/tracking/catalog-info.yaml',
    };

    it('resolves paths against the directory of a file', () => {
      expect(reader.resolve('./openapi.yaml', fileBase)).toEqual({
        type: 'file',
        target: '/repo/apis/openapi.yaml',
      });
      expect(reader.resolve('../common/x.yaml', fileBase)).toEqual({
        type: 'file',
        target: '/repo/common/x.yaml',
      });
    });

    it('keeps absolute URLs from files', () => {
      expect(reader.resolve('https://example.com/a.yaml', fileBase)).toEqual({
        type: 'url',
        target: 'https://example.com/a.yaml',
      });
    });

    it('resolves like SCM integrations against URLs', () => {
      // As the stock placeholders do: the GitHub integration's resolveUrl.
      expect(reader.resolve('./openapi.yaml', urlBase)).toEqual({
        type: 'url',
        target: 'https://github.com/acme/apis/tree/main/tracking/openapi.yaml',
      });
      expect(
        reader.resolve('../common/x.yaml', {
          type: 'url',
          target: 'https://specs.example.com/apis/tracking/openapi.yaml',
        }),
      ).toEqual({
        type: 'url',
        target: 'https://specs.example.com/apis/common/x.yaml',
      });
    });

    it('keeps URL placeholders in the same repository', () => {
      expect(() =>
        reader.resolve(
          'https://github.com/other/repo/blob/main/openapi.yaml',
          urlBase,
        ),
      ).toThrow(/may only reference files from the same repository/);
    });

    it('refuses other schemes', () => {
      expect(() => reader.resolve('file:///etc/passwd', fileBase)).toThrow(
        'must be a relative path or an http(s) URL',
      );
    });
  });

  describe('read', () => {
    let server: SpecServer;
    beforeAll(async () => {
      server = await startSpecServer(FIXTURES);
    });
    afterAll(() => server.close());

    it('reads files', async () => {
      const source = await reader.read({
        type: 'file',
        target: path.join(FIXTURES, 'inline/openapi.yaml'),
      });
      expect(source.text).toContain('swagger:');
      expect(source.etag).toBeUndefined();
    });

    it('reads URLs with their validators and re-reads them conditionally', async () => {
      const location = {
        type: 'url' as const,
        target: server.url('/inline/openapi.yaml'),
      };
      const source = await reader.read(location);
      expect(source.text).toContain('swagger:');
      expect(source.etag).toMatch(/^"[0-9a-f]+"$/);
      expect(source.lastModifiedAt).toEqual(new Date('2025-01-01T00:00:00Z'));
      await expect(
        reader.read(location, { etag: source.etag }),
      ).rejects.toThrow(NotModifiedError);
    });

    it('classifies failures', async () => {
      const missing = await reader
        .read({ type: 'url', target: server.url('/nope.yaml') })
        .catch(e => e);
      expect(missing.name).toBe('NotFoundError');
      expect(missing.message).toBe(`${server.url('/nope.yaml')} was not found`);

      const target = await unreachableUrl('/openapi.yaml');
      const unreachable = await reader
        .read({ type: 'url', target })
        .catch(e => e);
      expect(unreachable.message).toContain(`could not read ${target}`);
      expect(unreachable.message).toContain('fetch failed');

      const notAllowed = await reader
        .read({ type: 'url', target: 'https://example.com/openapi.yaml' })
        .catch(e => e);
      expect(notAllowed.name).toBe('NotAllowedError');
      expect(notAllowed.message).toContain('Reading from');
    });
  });
});
