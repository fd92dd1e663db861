import type { KeyEnvironment } from '../keys';

/** Plans a subscription can be on. */
export type KeyPlanId = 'free' | 'starter' | 'enterprise';

/** The limits of one active subscription, as the limiter needs them. */
export interface KeyPlan {
  plan: KeyPlanId;
  ratePerSecond: number;
  /** Free plans stop hard at this many billable calls per UTC month. */
  hardMonthlyQuota?: number;
}

/** The verifier's view of a stored key, with its partner and subscriptions. */
export type VerifiableKey = {
  id: string;
  partnerId: string;
  partnerStatus: 'active' | 'suspended';
  keyHash: string;
  environment: KeyEnvironment;
  status: 'active' | 'rotating' | 'revoked';
  productIds: string[];
  /** IPs or CIDRs (v4 or v6); empty means any address. */
  allowedIps: string[];
  /** ISO date-times. */
  expiresAt?: string;
  graceEndsAt?: string;
  /** Per product id, only active subscriptions. */
  plans: Record<string, KeyPlan>;
};

/** Implemented by the control plane with its database. */
export interface KeyLookup {
  findByKeyId(keyId: string): Promise<VerifiableKey | undefined>;
}

/** Why a key was refused; each maps to a problem code of the same name. */
export type KeyRejectionCode =
  | 'missing_key'
  | 'invalid_key'
  | 'expired_key'
  | 'revoked_key'
  | 'wrong_environment'
  | 'not_scoped'
  | 'ip_not_allowed'
  | 'partner_suspended'
  | 'service_unavailable';

/** A key that may call the product. */
export interface VerifiedKey {
  ok: true;
  keyId: string;
  partnerId: string;
  environment: KeyEnvironment;
  productId: string;
  plan: KeyPlan;
}

export interface KeyRejection {
  ok: false;
  code: KeyRejectionCode;
}

export type VerifyResult = VerifiedKey | KeyRejection;

/** Headers as Node (lower-cased names) or Envoy/NGINX hand them over. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

export interface VerifyInput {
  headers: RequestHeaders;
  productId: string;
  /** The caller's address; required for keys with an IP allow list. */
  clientIp?: string;
  /** When set, keys of the other environment get `wrong_environment`. */
  environment?: KeyEnvironment;
}
