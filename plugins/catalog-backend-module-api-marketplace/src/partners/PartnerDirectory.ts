import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** The plugin that owns partners, and its directory endpoint for the catalog. */
export const MARKETPLACE_PLUGIN_ID = 'api-marketplace';
const DIRECTORY_PATH = '/v1/catalog/partners';

/** A partner organisation as the marketplace backend lists it. */
export type DirectoryPartner = {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended';
  members: Array<{ userRef: string; role: string }>;
};

/** Reads the partner directory of the marketplace backend. */
export interface PartnerDirectory {
  list(options?: { signal?: AbortSignal }): Promise<DirectoryPartner[]>;
}

/**
 * The marketplace backend's `GET /v1/catalog/partners`, called with the
 * catalog's own service token (the endpoint refuses users and other
 * services). Throws on any failure, including a body that is not a
 * directory, so that the caller keeps what it has.
 */
export class HttpPartnerDirectory implements PartnerDirectory {
  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      timeoutMs?: number;
    },
  ) {}

  async list(options?: { signal?: AbortSignal }): Promise<DirectoryPartner[]> {
    const { discovery, auth, timeoutMs = 30_000 } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: MARKETPLACE_PLUGIN_ID,
    });
    const baseUrl = await discovery.getBaseUrl(MARKETPLACE_PLUGIN_ID);
    const timeout = AbortSignal.timeout(timeoutMs);
    const response = await fetch(`${baseUrl}${DIRECTORY_PATH}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: options?.signal
        ? AbortSignal.any([options.signal, timeout])
        : timeout,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return parseDirectory(await response.json());
  }
}

const isString = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0;

/** Checks the shape of the directory; one malformed partner fails it all. */
export function parseDirectory(body: unknown): DirectoryPartner[] {
  const items = (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) {
    throw new Error('The partner directory has no items array');
  }
  return items.map((item, index) => {
    const partner = item as Partial<Record<keyof DirectoryPartner, unknown>>;
    const members = partner?.members;
    if (
      !isString(partner?.id) ||
      !isString(partner.slug) ||
      !isString(partner.name) ||
      (partner.status !== 'active' && partner.status !== 'suspended') ||
      !Array.isArray(members) ||
      !members.every(
        member =>
          isString((member as { userRef?: unknown })?.userRef) &&
          isString((member as { role?: unknown }).role),
      )
    ) {
      throw new Error(`Partner ${index} of the partner directory is malformed`);
    }
    return {
      id: partner.id,
      slug: partner.slug,
      name: partner.name,
      status: partner.status,
      members: members.map(({ userRef, role }) => ({ userRef, role })),
    };
  });
}
