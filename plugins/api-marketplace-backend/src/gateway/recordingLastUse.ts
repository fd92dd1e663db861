import type {
  VerifyInput,
  VerifyResult,
} from '@portico/plugin-api-marketplace-node';
import type { LastUsedRecorder } from './LastUsedRecorder';

/** The verifier methods the gateway handler and `auth_request` call. */
export interface GatewayVerifier {
  verify(input: VerifyInput): Promise<VerifyResult>;
  verifyCached(input: VerifyInput): VerifyResult | undefined;
}

/**
 * The verifier, reporting every key it admits to `lastUsed`, in the mounted
 * and the standalone gateway alike: cached verdicts included, so
 * `last_used_at` moves for keys in steady use.
 */
export function recordingLastUse(
  verifier: GatewayVerifier,
  lastUsed: Pick<LastUsedRecorder, 'record'>,
): GatewayVerifier {
  const recordUse = (verdict: VerifyResult) => {
    if (verdict.ok) lastUsed.record(verdict.keyId);
    return verdict;
  };
  return {
    async verify(input) {
      return recordUse(await verifier.verify(input));
    },
    verifyCached(input) {
      const verdict = verifier.verifyCached(input);
      return verdict && recordUse(verdict);
    },
  };
}
