import { createOpenApiRouter } from '../schema/openapi.generated';
import { bindAdminRoutes } from './adminRoutes';
import { bindCatalogRoutes } from './catalogRoutes';
import { bindKeyRoutes } from './keyRoutes';
import { bindPartnerRoutes } from './partnerRoutes';
import { bindProductRoutes } from './productRoutes';
import { bindSandboxRoutes } from './sandboxRoutes';
import { bindSubscriptionRoutes } from './subscriptionRoutes';
import { bindUsageRoutes } from './usageRoutes';
import { bindVerifyRoutes } from './verifyRoutes';

type Deps = Parameters<typeof bindProductRoutes>[1] &
  Parameters<typeof bindPartnerRoutes>[1] &
  Parameters<typeof bindKeyRoutes>[1] &
  Parameters<typeof bindSubscriptionRoutes>[1] &
  Parameters<typeof bindAdminRoutes>[1] &
  Parameters<typeof bindCatalogRoutes>[1] &
  Parameters<typeof bindUsageRoutes>[1] &
  Parameters<typeof bindVerifyRoutes>[1] &
  Parameters<typeof bindSandboxRoutes>[1];

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
  bindCatalogRoutes(router, deps);
  bindUsageRoutes(router, deps);
  bindVerifyRoutes(router, deps);
  bindSandboxRoutes(router, deps);
  return router;
}
