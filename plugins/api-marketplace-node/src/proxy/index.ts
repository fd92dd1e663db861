export { createGatewayHandler } from './createGatewayHandler';
export type {
  GatewayHandler,
  GatewayHandlerOptions,
} from './createGatewayHandler';
export type { ProductResolver, ResolvedProduct } from './types';
export { verifyRequest } from './verifyRequest';
export type {
  VerifyRequestInput,
  VerifyRequestOptions,
  VerifyRequestResult,
} from './verifyRequest';
export {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signGatewayRequest,
  verifyGatewaySignature,
} from './signature';
export type {
  SignedRequest,
  VerifyGatewaySignatureInput,
  VerifyGatewaySignatureResult,
} from './signature';
export { parseGatewayPath, upstreamPath } from './paths';
export type { GatewayPath } from './paths';
export { DEFAULT_UPSTREAM_TIMEOUTS } from './upstreams';
export type { UpstreamTimeouts } from './upstreams';
