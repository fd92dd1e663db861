import {
  SchedulerService,
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogModuleApiMarketplace } from '../module';

/**
 * The partner provider in a real catalog, reading a stand-in marketplace
 * plugin over HTTP with a real service-to-service token, beside another
 * provider that publishes the employees.
 */
describe('PartnerEntityProvider in the catalog', () => {
  jest.setTimeout(60_000);

  const TASK_ID = 'ApiMarketplacePartnerEntityProvider:refresh';
  let directory: { status: number; items: object[] };
  const callers: string[] = [];

  // The marketplace backend's side of GET /v1/catalog/partners.
  const fakeMarketplace = createBackendPlugin({
    pluginId: 'api-marketplace',
    register(reg) {
      reg.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          httpRouter.use(async (req, res, next) => {
            if (req.method !== 'GET' || req.path !== '/v1/catalog/partners') {
              next();
              return;
            }
            try {
              const { principal } = await httpAuth.credentials(req, {
                allow: ['service'],
              });
              callers.push(principal.subject);
              if (principal.subject !== 'plugin:catalog') {
                throw new NotAllowedError('catalog only');
              }
              res.status(directory.status).json({ items: directory.items });
            } catch (error) {
              next(error);
            }
          });
        },
      });
    },
  });

  // Employees, from another provider; and a handle on the catalog's scheduler.
  let scheduler: SchedulerService;
  const employees = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-employees',
    register(reg) {
      reg.registerInit({
        deps: {
          catalog: catalogProcessingExtensionPoint,
          catalogScheduler: coreServices.scheduler,
        },
        async init({ catalog, catalogScheduler }) {
          scheduler = catalogScheduler;
          catalog.addEntityProvider({
            getProviderName: () => 'test-employees',
            connect: async connection => {
              await connection.applyMutation({
                type: 'full',
                entities: [
                  {
                    locationKey: 'test-employees',
                    entity: {
                      apiVersion: 'backstage.io/v1alpha1',
                      kind: 'User',
                      metadata: {
                        name: 'alice',
                        annotations: {
                          'backstage.io/managed-by-location': 'url:https://hr/',
                          'backstage.io/managed-by-origin-location':
                            'url:https://hr/',
                        },
                      },
                      spec: { memberOf: [] },
                    },
                  },
                ],
              });
            },
          });
        },
      });
    },
  });

  it('publishes partners as groups and users with their memberships, and keeps them through a failed read', async () => {
    const acme = {
      id: 'a1',
      slug: 'acme-freight',
      name: 'Acme Freight',
      status: 'active',
      members: [
        { userRef: 'user:partners/pat_at_acme.example', role: 'owner' },
        { userRef: 'user:default/alice', role: 'developer' },
      ],
    };
    const globex = {
      id: 'g1',
      slug: 'globex',
      name: 'Globex',
      status: 'suspended',
      members: [{ userRef: 'user:partners/github-583231', role: 'owner' }],
    };
    directory = { status: 200, items: [acme, globex] };

    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleApiMarketplace,
        employees,
        fakeMarketplace,
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Group', 'User'] }],
              providers: { apiMarketplacePartners: {} },
            },
          },
        }),
      ],
    });
    const base = `http://localhost:${backend.server.port()}/api/catalog`;
    const get = async (ref: string): Promise<Entity | undefined> => {
      const [kind, rest] = ref.split(':');
      const response = await fetch(`${base}/entities/by-name/${kind}/${rest}`);
      return response.ok ? response.json() : undefined;
    };
    const waitUntil = async (
      what: string,
      check: () => Promise<boolean>,
    ): Promise<void> => {
      for (let attempt = 0; attempt < 120; attempt++) {
        if (await check()) return;
        await new Promise(resolve => setTimeout(resolve, 250));
      }
      throw new Error(`Timed out waiting for ${what}`);
    };
    const relations = (entity?: Entity) =>
      (entity?.relations ?? []).map(r => `${r.type} ${r.targetRef}`).sort();

    try {
      await scheduler.triggerTask(TASK_ID);
      expect(callers).toEqual(['plugin:catalog']);

      await waitUntil(
        'the partner entities and their relations',
        async () =>
          relations(await get('user:default/alice')).includes(
            'memberOf group:partners/acme-freight',
          ) &&
          relations(await get('user:partners/github-583231')).length > 0 &&
          relations(await get('group:partners/acme-freight')).length === 2,
      );

      const group = await get('group:partners/acme-freight');
      expect(group?.spec).toEqual({
        type: 'partner',
        profile: { displayName: 'Acme Freight' },
        children: [],
        members: expect.arrayContaining([
          'user:partners/pat_at_acme.example',
          'user:default/alice',
        ]),
      });
      expect(group?.spec?.members).toHaveLength(2);
      expect(relations(group)).toEqual([
        'hasMember user:default/alice',
        'hasMember user:partners/pat_at_acme.example',
      ]);
      const pat = await get('user:partners/pat_at_acme.example');
      expect(relations(pat)).toEqual(['memberOf group:partners/acme-freight']);
      expect(pat?.metadata.annotations).toMatchObject({
        'portico.dev/partner-id': 'a1',
        'portico.dev/partner-role': 'owner',
      });
      // The employee stays the other provider's entity, now also a member.
      const alice = await get('user:default/alice');
      expect(alice?.metadata.annotations?.['portico.dev/partner-id']).toBe(
        undefined,
      );
      expect(relations(alice)).toEqual([
        'memberOf group:partners/acme-freight',
      ]);
      expect(
        (await get('group:partners/globex'))?.metadata.annotations?.[
          'portico.dev/partner-status'
        ],
      ).toBe('suspended');

      // The marketplace is down: nothing is removed.
      directory = { status: 503, items: [] };
      await scheduler.triggerTask(TASK_ID);
      await new Promise(resolve => setTimeout(resolve, 2_000));
      expect(await get('group:partners/acme-freight')).toBeDefined();
      expect(await get('user:partners/pat_at_acme.example')).toBeDefined();

      // Back, without Globex: its group and user leave the catalog.
      directory = { status: 200, items: [acme] };
      await scheduler.triggerTask(TASK_ID);
      await waitUntil(
        'globex to leave the catalog',
        async () =>
          !(await get('group:partners/globex')) &&
          !(await get('user:partners/github-583231')),
      );
      expect(await get('group:partners/acme-freight')).toBeDefined();
      expect(callers).toEqual([
        'plugin:catalog',
        'plugin:catalog',
        'plugin:catalog',
      ]);
    } finally {
      await backend.stop();
    }
  });
});
