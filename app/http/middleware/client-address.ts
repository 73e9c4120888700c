import type { Context } from 'koa';

/** Behind cloudflared every request comes from the tunnel; Cloudflare names the real client. */
const PLAUSIBLE_ADDRESS = /^[0-9A-Fa-f:.]{2,45}$/;

/** The client identity used for rate limits: the socket address, or CF-Connecting-IP when trusted. */
export function clientAddress(ctx: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = ctx.get('cf-connecting-ip');
    if (PLAUSIBLE_ADDRESS.test(forwarded)) return forwarded;
  }
  return ctx.req.socket.remoteAddress ?? 'unknown';
}
