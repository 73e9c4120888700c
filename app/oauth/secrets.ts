/**
 * Random credentials and how they are stored. Every code, token and client secret is 256 bits
 * from the OS CSPRNG; the database keeps only its SHA-256. A fast hash is right here: there is
 * nothing to brute-force in a 256-bit random value (a password would need a slow hash; the owner
 * password is never stored at all, it is configuration).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefixes say what a credential is (in a leaked log or a secret scanner) and route a Bearer token. */
export const PREFIX = {
  client: 'mcp_client_',
  clientSecret: 'mcp_cs_',
  code: 'mcp_ac_',
  accessToken: 'mcp_at_',
  refreshToken: 'mcp_rt_',
  grant: 'grant_',
} as const;

export function newCredential(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** Identifiers that are not secrets (client ids, grant ids): 128 random bits. */
export function newIdentifier(prefix: string): string {
  return prefix + randomBytes(16).toString('base64url');
}

/** What the database stores for a credential. */
export function credentialHash(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time check of a presented secret against a stored hash (both 32 bytes). */
export function matchesHash(presented: string, storedHash: Uint8Array): boolean {
  const presentedHash = credentialHash(presented);
  return storedHash.length === presentedHash.length && timingSafeEqual(presentedHash, storedHash);
}

/** RFC 7636 §4.2, S256: BASE64URL(SHA256(ASCII(code_verifier))). */
export function pkceS256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** RFC 7636 §4.1: 43 to 128 unreserved characters; the same alphabet for the challenge. */
export const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

/** Constant-time equality of two short strings (compared as SHA-256 digests, so lengths may differ). */
export function sameString(a: string, b: string): boolean {
  return timingSafeEqual(credentialHash(a), credentialHash(b));
}
