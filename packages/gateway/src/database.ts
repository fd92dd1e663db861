import { DatabaseManager } from '@backstage/backend-defaults/database';
import type {
  LoggerService,
  RootLifecycleService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import knexFactory, { Knex } from 'knex';

/** The plugin id whose database the backend writes keys and usage to. */
export const MARKETPLACE_PLUGIN_ID = 'api-marketplace';

/** The marketplace database, opened read-mostly by the gateway. */
export interface GatewayDatabase {
  knex: Knex;
  /** Database (and schema) name, for the startup log; no credentials. */
  description: string;
  close(): Promise<void>;
}

type ShutdownHook = () => void | Promise<void>;

/** The few lifecycle calls Backstage's DatabaseManager makes. */
function collectingLifecycle(hooks: ShutdownHook[]): RootLifecycleService {
  return {
    addStartupHook() {},
    addBeforeShutdownHook() {},
    addShutdownHook(hook: ShutdownHook) {
      hooks.push(hook);
    },
  };
}

async function describe(knex: Knex): Promise<string> {
  const client = String(knex.client.config.client);
  if (client !== 'pg') return client;
  const { rows } = await knex.raw(
    'select current_database() as database, current_schema() as schema',
  );
  return `pg database '${rows[0].database}' schema '${rows[0].schema}'`;
}

/**
 * Opens the database the backend's `api-marketplace` plugin uses, with
 * Backstage's own DatabaseManager so that naming follows the backend exactly
 * (`backend.database.prefix` + plugin id by default, the plugin schema under
 * `pluginDivisionMode: schema`, per-plugin overrides under
 * `backend.database.plugin.api-marketplace`). `apiMarketplace.gateway.database`
 * overrides all of it. The gateway never runs migrations: the backend owns
 * the schema.
 */
export async function openGatewayDatabase(
  config: Config,
  logger: LoggerService,
): Promise<GatewayDatabase> {
  const explicit = config.getOptionalConfig('apiMarketplace.gateway.database');
  if (explicit) {
    const knex = knexFactory({
      client: explicit.getOptionalString('client') ?? 'pg',
      connection: explicit.get('connection') as Knex.StaticConnectionConfig,
      pool: { min: 0, max: 10 },
    });
    return {
      knex,
      description: await describe(knex),
      close: () => knex.destroy(),
    };
  }

  const client =
    config.getOptionalString(
      `backend.database.plugin.${MARKETPLACE_PLUGIN_ID}.client`,
    ) ?? config.getOptionalString('backend.database.client');
  const connection =
    config.getOptional(
      `backend.database.plugin.${MARKETPLACE_PLUGIN_ID}.connection`,
    ) ?? config.getOptional('backend.database.connection');
  if (
    (client === 'better-sqlite3' || client === 'sqlite3') &&
    (connection === ':memory:' ||
      (typeof connection === 'object' &&
        (connection as { filename?: string })?.filename === ':memory:'))
  ) {
    throw new Error(
      "backend.database is in-memory SQLite (the embedded default): it lives inside the backend process, so a standalone gateway cannot read its keys. Configure PostgreSQL (app-config.production.yaml) or 'apiMarketplace.gateway.database'.",
    );
  }

  const hooks: ShutdownHook[] = [];
  const manager = DatabaseManager.fromConfig(config, {
    rootLifecycle: collectingLifecycle(hooks),
    rootLogger: logger,
  });
  const service = manager.forPlugin(MARKETPLACE_PLUGIN_ID, {
    logger,
    lifecycle: collectingLifecycle(hooks),
  });
  const knex = await service.getClient();
  return {
    knex,
    description: await describe(knex),
    close: async () => {
      // The manager's own shutdown hook does not destroy pg clients in this
      // release (it fails on a config check and swallows the error), so the
      // pool is destroyed here; the hooks then close the admin pools.
      await knex.destroy();
      for (const hook of hooks.splice(0)) await hook();
    },
  };
}
