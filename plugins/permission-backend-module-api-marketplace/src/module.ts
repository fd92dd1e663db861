import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { MarketplacePermissionPolicy } from './MarketplacePermissionPolicy';

/**
 * Installs the marketplace permission policy.
 *
 * @public
 */
export const permissionModuleApiMarketplacePolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'api-marketplace-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, userInfo }) {
        policy.setPolicy(
          MarketplacePermissionPolicy.fromConfig(config, userInfo),
        );
      },
    });
  },
});
