/**
 * Which Personal Access Tokens the simulated account accepts, and how a refused one is turned
 * away (docs/anova-protocol.md §1.1, §6 items 2-4). Tokens are secrets even here: nothing in this
 * module puts one in a message.
 */
import { invalid } from './errors';
import type { TokenRejection } from './types';

export const TOKEN_PREFIX = 'anova-';

export type TokenVerdict = { accepted: true } | { accepted: false; how: TokenRejection; reason: string };

export class TokenBook {
  private readonly accepted = new Set<string>();
  /** Revoked tokens and how each is refused from now on. */
  private readonly revoked = new Map<string, TokenRejection>();

  constructor(tokens: readonly string[]) {
    this.reset(tokens);
  }

  /** Accepts exactly these tokens again and forgets every revocation. */
  reset(tokens: readonly string[]): void {
    this.accepted.clear();
    this.revoked.clear();
    tokens.forEach((t) => this.accept(t));
  }

  accept(token: string): void {
    assertTokenShape(token);
    this.accepted.add(token);
    this.revoked.delete(token);
  }

  revoke(token: string, how: TokenRejection): void {
    if (typeof token !== 'string' || token === '') throw invalid('token must be a non-empty string');
    this.accepted.delete(token);
    this.revoked.set(token, how);
  }

  /** `unknownHow` is how tokens never seen are refused (SimBehavior.tokenRejection). */
  check(token: string | null, unknownHow: TokenRejection): TokenVerdict {
    if (token && token.startsWith(TOKEN_PREFIX) && this.accepted.has(token)) return { accepted: true };
    const revokedHow = token ? this.revoked.get(token) : undefined;
    if (revokedHow) return { accepted: false, how: revokedHow, reason: 'revoked token' };
    return { accepted: false, how: unknownHow, reason: token ? 'unknown token' : 'missing token' };
  }
}

export function assertTokenShape(token: unknown): asserts token is string {
  if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX) || token.length > 4096 || /\s/.test(token)) {
    throw invalid(`a token must start with "${TOKEN_PREFIX}" and hold no whitespace`);
  }
}
