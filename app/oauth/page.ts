/**
 * The HTML of the approval page and of the authorization errors that must not redirect. Plain
 * HTML and a little inline CSS, no JavaScript (the Content-Security-Policy forbids any), every
 * value escaped. It names the client and where the person will be sent, so the owner can tell a
 * genuine request from a link someone else prepared (docs/mcp.md, "The approval page").
 */
import type { OAuthClient } from './store';

export interface ApprovalPage {
  client: OAuthClient;
  redirectUri: string;
  /** The form posts back to the same URL (the authorization request is in its query). */
  action: string;
  csrf: string;
  /** 'password' when OAUTH_OWNER_PASSWORD is set, else the API key is asked for. */
  secretKind: 'password' | 'api_key';
  /** Shown above the form after a failed attempt. */
  error?: string;
}

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.35rem}code{background:#f3f3f3;padding:0 .2em;word-break:break-all}
.box{border:1px solid #ccc;border-radius:.5rem;padding:1rem;margin:1rem 0}
.error{border-color:#b00;color:#900}label{display:block;font-weight:600;margin:.5rem 0}
input[type=password]{width:100%;font-size:1rem;padding:.5rem;box-sizing:border-box}
button{font-size:1rem;padding:.5rem 1.2rem;margin:1rem .5rem 0 0}small{color:#555}`;

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

function document(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="same-origin"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function approvalPage(page: ApprovalPage): string {
  const name = escapeHtml(page.client.name);
  const destination = new URL(page.redirectUri);
  const secretLabel =
    page.secretKind === 'password' ? 'Owner password (OAUTH_OWNER_PASSWORD)' : 'API key of this server (API_KEY)';
  const registered = new Date(page.client.createdAt).toISOString().replace('T', ' ').slice(0, 16);
  return document(
    `Allow ${page.client.name}?`,
    `<h1>Allow “${name}” to control your sous-vide cooker?</h1>
<p>“${name}” asks to start, stop and read your Anova cooker through this server, and to see the cook history.
If you approve, you will be sent back to <strong>${escapeHtml(destination.host)}</strong>.</p>
<div class="box"><small>Redirect: <code>${escapeHtml(page.redirectUri)}</code><br>
Client registered ${escapeHtml(registered)} UTC as <code>${escapeHtml(page.client.clientId)}</code></small></div>
<p>Approve only if you have just asked ${name} to connect to this server. If you did not, press Deny.</p>
${page.error ? `<div class="box error" role="alert">${escapeHtml(page.error)}</div>` : ''}
<form method="post" action="${escapeHtml(page.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(page.csrf)}">
<label for="secret">${secretLabel}</label>
<input type="password" id="secret" name="secret" required autocomplete="${page.secretKind === 'password' ? 'current-password' : 'off'}">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</form>`,
  );
}

export function errorPage(title: string, message: string): string {
  return document(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}
