import { createOpenApiRouter } from '../schema/openapi.generated';
import { bindAdminRoutes } from './adminRoutes';
import { bindKeyRoutes } from './keyRoutes';
import { bindPartnerRoutes } from './partnerRoutes';
import { bindProductRoutes } from './productRoutes';
import { bindSubscriptionRoutes } from './subscriptionRoutes';

type Deps = Parameters<typeof bindProductRoutes>[1] &
  Parameters<typeof bindPartnerRoutes>[1] &
  Parameters<typeof bindKeyRoutes>[1] &
  Parameters<typeof bindSubscriptionRoutes>[1] &
  Parameters<typeof bindAdminRoutes>[1];

/** The REST API of the plugin; request and response shapes follow openapi.yaml. */
export async function createRouter(deps: Deps) {
  const router = await createOpenApiRouter();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  bindProductRoutes(router, deps);
  bindPartnerRoutes(router, deps);
  bindKeyRoutes(router, deps);
  bindSubscriptionRoutes(router, deps);
  bindAdminRoutes(router, deps);
  return router;
}
