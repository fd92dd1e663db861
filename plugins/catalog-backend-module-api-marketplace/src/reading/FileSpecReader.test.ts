import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { FileSpecReader } from './FileSpecReader';

describe('FileSpecReader', () => {
  let dir: string;
  let root: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'file-spec-reader-'));
    root = path.join(dir, 'repo');
    await fs.mkdir(path.join(root, 'api'), { recursive: true });
    await fs.writeFile(path.join(root, 'api/openapi.yaml'), 'openapi: 3.0.3\n');
    await fs.writeFile(path.join(dir, 'secret.txt'), 'secret');
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const reader = (maxBytes = 1024) =>
    new FileSpecReader({ roots: [root], maxBytes });

  it('reads files below a root', async () => {
    await expect(
      reader().read(path.join(root, 'api/openapi.yaml')),
    ).resolves.toBe('openapi: 3.0.3\n');
  });

  it('refuses files outside the roots, also through symlinks', async () => {
    await expect(
      reader().read(path.join(root, '../secret.txt')),
    ).rejects.toThrow(
      /secret\.txt is outside the directories of the catalog's file locations/,
    );
    await fs.symlink(path.join(dir, 'secret.txt'), path.join(root, 'link.txt'));
    const error = await reader()
      .read(path.join(root, 'link.txt'))
      .catch(e => e);
    expect(error.name).toBe('NotAllowedError');
  });

  it('refuses what is not a regular file', async () => {
    await expect(reader().read(path.join(root, 'api'))).rejects.toThrow(
      'api is not a regular file',
    );
  });

  it('refuses files above the limit without reading them', async () => {
    const big = path.join(root, 'big.yaml');
    await fs.writeFile(big, '');
    await fs.truncate(big, 2048);
    await expect(reader().read(big)).rejects.toThrow(
      'big.yaml is 2 kB, above the limit of 1 kB',
    );
  });

  it('says when a file does not exist', async () => {
    const error = await reader()
      .read(path.join(root, 'nope.yaml'))
      .catch(e => e);
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toMatch(/nope\.yaml does not exist/);
  });

  it('takes its roots from the file locations of the catalog', async () => {
    const config = new ConfigReader({
      catalog: {
        locations: [
          { type: 'file', target: path.join(root, 'catalog-info.yaml') },
          { type: 'url', target: 'https://example.com/catalog-info.yaml' },
        ],
      },
    });
    const fromConfig = FileSpecReader.fromConfig(config, { maxBytes: 1024 });
    await expect(
      fromConfig.read(path.join(root, 'api/openapi.yaml')),
    ).resolves.toBe('openapi: 3.0.3\n');
    await expect(fromConfig.read(path.join(dir, 'secret.txt'))).rejects.toThrow(
      'outside',
    );
    await expect(
      FileSpecReader.fromConfig(new ConfigReader({}), { maxBytes: 1 }).read(
        path.join(root, 'api/openapi.yaml'),
      ),
    ).rejects.toThrow('no file locations are configured in catalog.locations');
  });

  it('allows the static directory of a glob location', async () => {
    const config = new ConfigReader({
      catalog: {
        locations: [
          { type: 'file', target: path.join(root, '*', 'catalog-info.yaml') },
        ],
      },
    });
    const fromConfig = FileSpecReader.fromConfig(config, { maxBytes: 1024 });
    await expect(
      fromConfig.read(path.join(root, 'api/openapi.yaml')),
    ).resolves.toBe('openapi: 3.0.3\n');
    await expect(fromConfig.read(path.join(dir, 'secret.txt'))).rejects.toThrow(
      'outside',
    );
  });
});
