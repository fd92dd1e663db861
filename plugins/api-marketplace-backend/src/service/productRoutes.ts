import { NotFoundError } from '@backstage/errors';
import { ArtifactService } from '../artifacts/ArtifactService';
import { SpecHistoryStore } from '../database/SpecHistoryStore';
import { findOperation, operationIndexOf } from '../products/operationIndex';
import { ProductService } from '../products/ProductService';
import { ApiRouter } from './ApiRouter';

/** Products, their history and generated artifacts. */
export function bindProductRoutes(
  router: ApiRouter,
  deps: {
    productService: ProductService;
    specHistory: SpecHistoryStore;
    artifacts: ArtifactService;
  },
) {
  const { productService, specHistory, artifacts } = deps;
  const requireProduct = async (id: string) => {
    const product = await productService.get(id);
    if (!product) {
      throw new NotFoundError(`No product with id '${id}'`);
    }
    return product;
  };

  router.get('/v1/products', async (req, res) => {
    const { category, status, tag, q } = req.query;
    const items = await productService.list({ category, status, tag, q });
    res.json({ items });
  });

  router.get('/v1/products/:id', async (req, res) => {
    res.json(await requireProduct(req.params.id));
  });

  // The Docs view lists thousands of operations from this small index and
  // fetches one operation in full only when it is opened.
  router.get('/v1/products/:id/operations', async (req, res) => {
    const product = await requireProduct(req.params.id);
    res.json({ items: operationIndexOf(product) });
  });

  router.get('/v1/products/:id/operations/:operationId', async (req, res) => {
    const { id, operationId } = req.params;
    const operation = findOperation(await requireProduct(id), operationId);
    if (!operation) {
      throw new NotFoundError(
        `Product '${id}' has no operation '${operationId}'`,
      );
    }
    res.json(operation);
  });

  router.get('/v1/products/:id/changes', async (req, res) => {
    await requireProduct(req.params.id);
    res.json({ items: await specHistory.list(req.params.id) });
  });

  router.get('/v1/products/:id/postman', async (req, res) => {
    const collection = await artifacts.postmanCollection(req.params.id);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${req.params.id}.postman_collection.json"`,
    );
    res.json(collection as any);
  });

  router.get('/v1/products/:id/sdk/typescript', async (req, res) => {
    const source = await artifacts.typescriptClient(req.params.id);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${req.params.id}-client.ts"`,
    );
    res.type('text/plain').send(source);
  });

  router.get('/v1/products/:id/snippets/:operationId', async (req, res) => {
    const { id, operationId } = req.params;
    res.json({
      operationId,
      snippets: await artifacts.snippets(id, operationId),
    });
  });
}
