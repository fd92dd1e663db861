import { createApiRef } from '@backstage/core-plugin-api';
import type {
  ProductDetail,
  ProductOperation,
  ProductOperationSummary,
  ProductSummary,
  SandboxTryRequest,
  SandboxTryResponse,
  SpecVersion,
  UsageGranularity,
  UsageReport,
} from '@portico/plugin-api-marketplace-common';

/** Filters of the product list. Empty values are not sent. */
export interface ProductQuery {
  category?: string;
  status?: string;
  tag?: string;
  q?: string;
}

/** Code performing one operation in one language. */
export type CodeSample = {
  /** Machine name, e.g. `curl`, `javascript`, `python`. */
  language: string;
  /** Human name, e.g. `cURL`, `JavaScript (fetch)`. */
  label: string;
  code: string;
};

/** `GET /v1/products/{id}/snippets/{operationId}`. */
export type OperationSnippets = {
  operationId: string;
  snippets: CodeSample[];
};

/** The files generated from a product's spec that can be downloaded. */
export type MarketplaceArtifact = 'postman' | 'typescript';

/** A downloaded artifact, ready to be saved by the browser. */
export type MarketplaceDownload = {
  filename: string;
  blob: Blob;
};

/** A partner role. Owners and admins manage members and invitations. */
export type PartnerRole = 'owner' | 'admin' | 'developer' | 'billing';

/** The roles an invitation can grant. */
export type InvitableRole = 'admin' | 'developer' | 'billing';

/** A partner organisation. */
export type Partner = {
  id: string;
  slug: string;
  name: string;
  billingEmail: string;
  status: 'active' | 'suspended';
  termsAcceptedAt?: string;
  createdAt: string;
};

/** An invitation to join a partner. */
export type Invitation = {
  id: string;
  email?: string;
  userRef?: string;
  role: string;
  status: string;
  invitedBy: string;
  expiresAt: string;
  createdAt: string;
  /**
   * The inviting partner's name. Not sent by the current backend; the UI
   * falls back to the inviter when it is missing.
   */
  partnerName?: string;
};

/** `GET /v1/me`. */
export type MarketplaceMe = {
  userRef: string;
  isAdmin: boolean;
  partner?: Partner & { role: string };
  invitations: Invitation[];
};

/** A member of the caller's partner. */
export type PartnerMember = {
  userRef: string;
  role: string;
  createdAt: string;
};

/** `POST /v1/partners/current/invitations`: an e-mail or a user ref. */
export type InvitationRequest = {
  email?: string;
  userRef?: string;
  role: InvitableRole;
};

export type SubscriptionPlan = 'free' | 'starter' | 'enterprise';

export type Subscription = {
  id: string;
  partnerId: string;
  productId: string;
  plan: SubscriptionPlan;
  status: 'active' | 'pending_payment' | 'canceled';
  currentPeriodStart: string;
  currentPeriodEnd: string;
  createdAt: string;
  canceledAt?: string;
};

export type KeyEnvironment = 'sandbox' | 'production';

export type ApiKey = {
  id: string;
  name: string;
  prefix: string;
  environment: KeyEnvironment;
  productIds: string[];
  allowedIps: string[];
  status: 'active' | 'rotating' | 'revoked';
  expiresAt?: string;
  graceEndsAt?: string;
  replacedBy?: string;
  lastUsedAt?: string;
  createdBy?: string;
  createdAt: string;
  revokedAt?: string;
};

/** A key as issued by create or rotate: `key` is the secret, shown once. */
export type IssuedApiKey = ApiKey & {
  key: string;
  /** Set by rotate: the id of the key being replaced. */
  replaces?: string;
};

/** `POST /v1/keys`. */
export type CreateKeyRequest = {
  name: string;
  productIds: string[];
  environment: KeyEnvironment;
  expiresAt?: string;
  allowedIps?: string[];
};

export type AuditEvent = {
  id: number | string;
  actorRef: string;
  action: string;
  targetType: string;
  targetId?: string;
  details: Record<string, unknown>;
  createdAt: string;
};

/** `GET /v1/usage` filters. Empty values are not sent. */
export type UsageQuery = {
  /** ISO timestamp, inclusive. */
  from?: string;
  /** ISO timestamp, exclusive. */
  to?: string;
  granularity?: UsageGranularity;
  productId?: string;
  environment?: KeyEnvironment;
};

/** The roles that may manage members and invitations. */
export function canManageMembers(role: string | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

/** The marketplace backend, as the frontend sees it. */
export interface MarketplaceApi {
  listProducts(query?: ProductQuery): Promise<ProductSummary[]>;
  getProduct(id: string): Promise<ProductDetail>;
  /** The operation index of a product: one small entry per operation. */
  listOperations(id: string): Promise<ProductOperationSummary[]>;
  /** One operation with its parameters, request body and responses. */
  getOperation(id: string, operationId: string): Promise<ProductOperation>;
  /** Spec versions of a product, newest first. */
  listChanges(id: string): Promise<SpecVersion[]>;
  getSnippets(id: string, operationId: string): Promise<OperationSnippets>;
  downloadArtifact(
    id: string,
    artifact: MarketplaceArtifact,
  ): Promise<MarketplaceDownload>;

  /** The signed-in user, their partner and role, and pending invitations. */
  getMe(): Promise<MarketplaceMe>;
  createPartner(request: {
    name: string;
    billingEmail: string;
  }): Promise<Partner>;
  acceptTerms(): Promise<Partner>;
  listMembers(): Promise<PartnerMember[]>;
  removeMember(userRef: string): Promise<void>;
  listInvitations(): Promise<Invitation[]>;
  createInvitation(request: InvitationRequest): Promise<Invitation>;
  revokeInvitation(id: string): Promise<void>;
  acceptInvitation(id: string): Promise<void>;

  listSubscriptions(): Promise<Subscription[]>;
  subscribe(request: {
    productId: string;
    plan: SubscriptionPlan;
  }): Promise<Subscription>;
  changePlan(id: string, plan: SubscriptionPlan): Promise<Subscription>;
  cancelSubscription(id: string): Promise<void>;

  listKeys(): Promise<ApiKey[]>;
  createKey(request: CreateKeyRequest): Promise<IssuedApiKey>;
  rotateKey(
    id: string,
    options?: { gracePeriodHours?: number },
  ): Promise<IssuedApiKey>;
  revokeKey(id: string): Promise<void>;

  listAuditEvents(): Promise<AuditEvent[]>;

  /** Calls, billable calls and quota of the caller's partner over time. */
  getUsage(query?: UsageQuery): Promise<UsageReport>;
  /** One call to a product's sandbox, made by the backend. */
  trySandbox(request: SandboxTryRequest): Promise<SandboxTryResponse>;
}

export const marketplaceApiRef = createApiRef<MarketplaceApi>({
  id: 'plugin.api-marketplace.client',
});
