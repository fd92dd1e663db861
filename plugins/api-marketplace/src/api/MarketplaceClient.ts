import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ProductDetail,
  ProductOperation,
  ProductOperationIndex,
  ProductOperationSummary,
  ProductSummary,
  SandboxTryRequest,
  SandboxTryResponse,
  SpecVersion,
  UsageReport,
} from '@portico/plugin-api-marketplace-common';
import {
  ApiKey,
  AuditEvent,
  CreateKeyRequest,
  Invitation,
  InvitationRequest,
  IssuedApiKey,
  MarketplaceMe,
  Partner,
  PartnerMember,
  Subscription,
  SubscriptionPlan,
  MarketplaceApi,
  MarketplaceArtifact,
  MarketplaceDownload,
  OperationSnippets,
  ProductQuery,
  UsageQuery,
} from './MarketplaceApi';

const artifactPaths: Record<MarketplaceArtifact, string> = {
  postman: 'postman',
  typescript: 'sdk/typescript',
};

/** The name a downloaded artifact is saved under. */
export function artifactFilename(
  id: string,
  artifact: MarketplaceArtifact,
): string {
  return artifact === 'postman'
    ? `${id}.postman_collection.json`
    : `${id}-client.ts`;
}

/** Talks to `/api/api-marketplace` with the signed-in user's token. */
export class MarketplaceClient implements MarketplaceApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listProducts(query: ProductQuery = {}): Promise<ProductSummary[]> {
    const params = new URLSearchParams();
    for (const key of ['category', 'status', 'tag', 'q'] as const) {
      const value = query[key]?.trim();
      if (value) params.set(key, value);
    }
    const suffix = params.toString() ? `?${params}` : '';
    const response = await this.request(`/v1/products${suffix}`);
    const body = (await response.json()) as { items: ProductSummary[] };
    return body.items;
  }

  async getProduct(id: string): Promise<ProductDetail> {
    const response = await this.request(`/v1/products/${encode(id)}`);
    return (await response.json()) as ProductDetail;
  }

  async listOperations(id: string): Promise<ProductOperationSummary[]> {
    const response = await this.request(
      `/v1/products/${encode(id)}/operations`,
    );
    return ((await response.json()) as ProductOperationIndex).items;
  }

  async getOperation(
    id: string,
    operationId: string,
  ): Promise<ProductOperation> {
    const response = await this.request(
      `/v1/products/${encode(id)}/operations/${encode(operationId)}`,
    );
    return (await response.json()) as ProductOperation;
  }

  async listChanges(id: string): Promise<SpecVersion[]> {
    const response = await this.request(`/v1/products/${encode(id)}/changes`);
    const body = (await response.json()) as { items: SpecVersion[] };
    return body.items;
  }

  async getSnippets(
    id: string,
    operationId: string,
  ): Promise<OperationSnippets> {
    const response = await this.request(
      `/v1/products/${encode(id)}/snippets/${encode(operationId)}`,
    );
    return (await response.json()) as OperationSnippets;
  }

  async downloadArtifact(
    id: string,
    artifact: MarketplaceArtifact,
  ): Promise<MarketplaceDownload> {
    const response = await this.request(
      `/v1/products/${encode(id)}/${artifactPaths[artifact]}`,
    );
    return {
      filename: artifactFilename(id, artifact),
      blob: await response.blob(),
    };
  }

  async getMe(): Promise<MarketplaceMe> {
    return this.json<MarketplaceMe>('/v1/me');
  }

  async createPartner(request: {
    name: string;
    billingEmail: string;
  }): Promise<Partner> {
    return this.json<Partner>('/v1/partners', 'POST', request);
  }

  async acceptTerms(): Promise<Partner> {
    return this.json<Partner>('/v1/partners/current/terms', 'POST');
  }

  async listMembers(): Promise<PartnerMember[]> {
    return this.items<PartnerMember>('/v1/partners/current/members');
  }

  async removeMember(userRef: string): Promise<void> {
    await this.request(
      `/v1/partners/current/members/${encode(userRef)}`,
      'DELETE',
    );
  }

  async listInvitations(): Promise<Invitation[]> {
    return this.items<Invitation>('/v1/partners/current/invitations');
  }

  async createInvitation(request: InvitationRequest): Promise<Invitation> {
    return this.json<Invitation>(
      '/v1/partners/current/invitations',
      'POST',
      request,
    );
  }

  async revokeInvitation(id: string): Promise<void> {
    await this.request(
      `/v1/partners/current/invitations/${encode(id)}`,
      'DELETE',
    );
  }

  async acceptInvitation(id: string): Promise<void> {
    await this.request(`/v1/invitations/${encode(id)}/accept`, 'POST');
  }

  async listSubscriptions(): Promise<Subscription[]> {
    return this.items<Subscription>('/v1/subscriptions');
  }

  async subscribe(request: {
    productId: string;
    plan: SubscriptionPlan;
  }): Promise<Subscription> {
    return this.json<Subscription>('/v1/subscriptions', 'POST', request);
  }

  async changePlan(id: string, plan: SubscriptionPlan): Promise<Subscription> {
    return this.json<Subscription>(`/v1/subscriptions/${encode(id)}`, 'PATCH', {
      plan,
    });
  }

  async cancelSubscription(id: string): Promise<void> {
    await this.request(`/v1/subscriptions/${encode(id)}`, 'DELETE');
  }

  async listKeys(): Promise<ApiKey[]> {
    return this.items<ApiKey>('/v1/keys');
  }

  async createKey(request: CreateKeyRequest): Promise<IssuedApiKey> {
    return this.json<IssuedApiKey>('/v1/keys', 'POST', request);
  }

  async rotateKey(
    id: string,
    options: { gracePeriodHours?: number } = {},
  ): Promise<IssuedApiKey> {
    return this.json<IssuedApiKey>(
      `/v1/keys/${encode(id)}/rotate`,
      'POST',
      options,
    );
  }

  async revokeKey(id: string): Promise<void> {
    await this.request(`/v1/keys/${encode(id)}`, 'DELETE');
  }

  async listAuditEvents(): Promise<AuditEvent[]> {
    return this.items<AuditEvent>('/v1/audit');
  }

  async getUsage(query: UsageQuery = {}): Promise<UsageReport> {
    const params = new URLSearchParams();
    for (const key of [
      'from',
      'to',
      'granularity',
      'productId',
      'environment',
    ] as const) {
      const value = query[key];
      if (value) params.set(key, value);
    }
    const suffix = params.toString() ? `?${params}` : '';
    return this.json<UsageReport>(`/v1/usage${suffix}`);
  }

  async trySandbox(request: SandboxTryRequest): Promise<SandboxTryResponse> {
    return this.json<SandboxTryResponse>('/v1/sandbox/try', 'POST', request);
  }

  private async json<T>(
    path: string,
    method?: string,
    body?: unknown,
  ): Promise<T> {
    const response = await this.request(path, method, body);
    return (await response.json()) as T;
  }

  private async items<T>(path: string): Promise<T[]> {
    return (await this.json<{ items: T[] }>(path)).items;
  }

  private async request(
    path: string,
    method = 'GET',
    body?: unknown,
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('api-marketplace');
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

function encode(segment: string): string {
  return encodeURIComponent(segment);
}
