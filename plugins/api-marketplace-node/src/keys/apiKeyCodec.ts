import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Where a key may be used: the sandbox or production traffic. */
export type KeyEnvironment = 'sandbox' | 'production';

const ALPHABET =
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_ID_LENGTH = 16;
/** 43 base62 characters carry 256 bits, above the 192 bits we promise. */
const SECRET_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
const PREFIXES: Record<KeyEnvironment, string> = {
  sandbox: 'sk_test_',
  production: 'sk_live_',
};
/** `test()` only: on every call, no match array or captured strings to build. */
const SHAPE = new RegExp(
  `^sk_(?:test|live)_[0-9A-Za-z]{${
    KEY_ID_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH
  }}$`,
);
/** `sk_test_` and `sk_live_` are both this long. */
const PREFIX_LENGTH = 8;

/** Uniform base62 characters from the CSPRNG, by rejection sampling. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: bytes above it would bias the alphabet.
      if (byte < 248 && out.length < length) {
        out += ALPHABET[byte % 62];
      }
    }
  }
  return out;
}

function checksumOf(payload: string): string {
  // One-shot hash; the digest's bytes as latin1 characters, no Buffer.
  const digest = hash('sha256', payload, 'latin1');
  let value = 0;
  for (let i = 0; i < 5; i++) value = value * 256 + digest.charCodeAt(i);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

/** A freshly generated key; `key` must only ever reach the caller once. */
export interface GeneratedApiKey {
  keyId: string;
  key: string;
  /** Safe to store and display: the environment prefix and key id. */
  prefix: string;
  hash: string;
  environment: KeyEnvironment;
}

/** A key that passed the format and checksum checks (not yet verified). */
export interface DecodedApiKey {
  keyId: string;
  environment: KeyEnvironment;
  hash: string;
}

/** SHA-256 of a high-entropy key: enough, and constant-time to compare. */
export function hashApiKey(key: string): string {
  // One-shot hash: about twice as fast as a Hash object on the hot path.
  return hash('sha256', key, 'hex');
}

/** Creates a new key for an environment. */
export function generateApiKey(environment: KeyEnvironment): GeneratedApiKey {
  const keyId = randomBase62(KEY_ID_LENGTH);
  const payload = `${PREFIXES[environment]}${keyId}${randomBase62(
    SECRET_LENGTH,
  )}`;
  const key = payload + checksumOf(payload);
  return {
    keyId,
    key,
    prefix: `${PREFIXES[environment]}${keyId}`,
    hash: hashApiKey(key),
    environment,
  };
}

/** What the shape of a key tells, before its checksum is checked. */
export interface ParsedApiKey {
  keyId: string;
  environment: KeyEnvironment;
}

/**
 * The key id and environment of a well-formed key, without checking its
 * checksum or hashing it: for callers that compare the key's full hash with a
 * stored one anyway (a key whose hash matches has a valid checksum), and
 * check the checksum with `apiKeyChecksumValid` before any storage lookup.
 */
export function parseApiKey(presented: string): ParsedApiKey | undefined {
  if (typeof presented !== 'string' || presented.length > 128) {
    return undefined;
  }
  if (!SHAPE.test(presented)) return undefined;
  return {
    keyId: presented.slice(PREFIX_LENGTH, PREFIX_LENGTH + KEY_ID_LENGTH),
    environment: presented.startsWith(PREFIXES.production)
      ? 'production'
      : 'sandbox',
  };
}

/** True when the checksum inside a well-formed key matches its payload. */
export function apiKeyChecksumValid(presented: string): boolean {
  const split = presented.length - CHECKSUM_LENGTH;
  const expected = checksumOf(presented.slice(0, split));
  return timingSafeEqual(
    Buffer.from(expected, 'latin1'),
    Buffer.from(presented.slice(split), 'latin1'),
  );
}

/**
 * Checks the shape and checksum of a presented key without any storage
 * lookup, so typos and garbage are rejected at no cost. Returns undefined for
 * anything that is not a well-formed key.
 */
export function decodeApiKey(presented: string): DecodedApiKey | undefined {
  const parsed = parseApiKey(presented);
  if (!parsed || !apiKeyChecksumValid(presented)) {
    return undefined;
  }
  return {
    keyId: parsed.keyId,
    environment: parsed.environment,
    hash: hashApiKey(presented),
  };
}

/** Constant-time comparison of a stored hash with a presented key's hash. */
export function apiKeyHashMatches(
  storedHash: string,
  presentedHash: string,
): boolean {
  const a = Buffer.from(storedHash, 'hex');
  const b = Buffer.from(presentedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
