import { NotFoundError } from '@backstage/errors';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { ProductService } from '../products/ProductService';

/** The REST API of the plugin; request and response shapes follow openapi.yaml. */
export async function createRouter(options: {
  productService: ProductService;
}) {
  const { productService } = options;
  const router = await createOpenApiRouter();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/v1/products', async (req, res) => {
    const { category, status, tag, q } = req.query;
    const items = await productService.list({ category, status, tag, q });
    res.json({ items });
  });

  router.get('/v1/products/:id', async (req, res) => {
    const product = await productService.get(req.params.id);
    if (!product) {
      throw new NotFoundError(`No product with id '${req.params.id}'`);
    }
    res.json(product);
  });

  return router;
}
