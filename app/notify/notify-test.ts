/**
 * `notify-test`: one test notification to every configured target, one attempt each (no retry,
 * no outbox), and the outcome per target. Prints host names only: never a URL path, a
 * credential, the secret or the token. Exit code 0 when every target took it, 1 otherwise.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log';
import type { NotifyConfig } from './config';
import { ATTEMPT_TIMEOUT_MS, type AttemptOutcome, type NotifyTarget } from './http';
import { NtfyTarget } from './ntfy';
import { renderNotification } from './render';
import { TEST_EVENT } from './types';
import { WebhookTarget } from './webhook';

export interface NotifyTestOptions {
  timeoutMs?: number;
  clock?: () => number;
  newId?: () => string;
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: is the receiver running, and is the port right?',
  ENOTFOUND: 'host name not found: check the host in the URL',
  EAI_AGAIN: 'host name lookup failed: check the DNS of the server',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'host unreachable: check the network',
  ENETUNREACH: 'network unreachable: check the network',
  CERT_HAS_EXPIRED: "the receiver's TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the receiver's TLS certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "the receiver's TLS certificate chain is self-signed",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the receiver's TLS certificate cannot be verified",
  ERR_TLS_CERT_ALTNAME_INVALID: "the receiver's TLS certificate is for another host name",
};

function describe(outcome: AttemptOutcome, timeoutMs: number): string {
  switch (outcome.kind) {
    case 'delivered':
      return `delivered (HTTP ${outcome.status})`;
    case 'rejected':
      if (outcome.status >= 300 && outcome.status < 400)
        return `failed: HTTP ${outcome.status}, the URL redirects: set the final URL`;
      if (outcome.status === 401 || outcome.status === 403) {
        return `failed: HTTP ${outcome.status}, the receiver refused the credentials: check the token, the user and password, or the secret`;
      }
      if (outcome.status === 404) return 'failed: HTTP 404, check the URL (the topic or the webhook id)';
      return `failed: HTTP ${outcome.status}, refused by the receiver`;
    case 'retry':
      if (outcome.status !== null)
        return `failed: HTTP ${outcome.status}, the receiver has a problem; the server would retry`;
      if (outcome.code === 'ETIMEDOUT') {
        return `failed: no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`;
      }
      return `failed: ${NETWORK_WORDS[outcome.code ?? ''] ?? `network error ${outcome.code ?? ''}`.trim()}`;
    case 'aborted':
      return 'cancelled';
  }
}

export async function runNotifyTest(
  config: NotifyConfig,
  out: NodeJS.WritableStream,
  logger: Logger,
  opts: NotifyTestOptions = {},
): Promise<number> {
  const timeoutMs = opts.timeoutMs ?? ATTEMPT_TIMEOUT_MS;
  const clock = opts.clock ?? Date.now;
  const targets: NotifyTarget[] = [];
  if (config.webhook) targets.push(new WebhookTarget(config.webhook, timeoutMs));
  if (config.ntfy) targets.push(new NtfyTarget(config.ntfy, timeoutMs));
  if (targets.length === 0) {
    out.write(
      'No notification target is configured. Set NOTIFY_WEBHOOK_URL and/or NOTIFY_NTFY_URL (see docs/notifications.md).\n',
    );
    return 1;
  }
  const n = renderNotification(
    { event: TEST_EVENT, cookId: null, at: clock(), status: null },
    (opts.newId ?? randomUUID)(),
  );
  const results = await Promise.all(
    targets.map(async (target) => {
      const started = clock();
      const outcome = await target
        .send(n)
        .catch((): AttemptOutcome => ({ kind: 'retry', status: null, code: 'ERROR', retryAfterMs: null }));
      return { target, outcome, ms: clock() - started };
    }),
  );
  const width = Math.max(...results.map((r) => r.target.host.length));
  for (const { target, outcome, ms } of results) {
    const ok = outcome.kind === 'delivered';
    out.write(
      `${target.name.padEnd(8)} ${target.host.padEnd(width)}  ${describe(outcome, timeoutMs)}${ok ? ` in ${ms} ms` : ''}\n`,
    );
    const meta = {
      target: target.name,
      host: target.host,
      event_id: n.eventId,
      outcome: outcome.kind,
      status: 'status' in outcome ? outcome.status : null,
      code: outcome.kind === 'retry' ? outcome.code : null,
    };
    if (ok) logger.info('test notification delivered', meta);
    else logger.warn('test notification failed', meta);
  }
  return results.every((r) => r.outcome.kind === 'delivered') ? 0 : 1;
}
