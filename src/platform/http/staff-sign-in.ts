// A browser's staff sign-in: the token typed into a password field becomes an HttpOnly cookie,
// which the Temporal Web UI sends to the codec (its "include cross-origin credentials" setting).
import express, { type Response } from 'express';
import { TokenRefused } from '../security/staff-tokens';
import type { HttpDeps } from './deps';
import { endpoint } from './endpoint';
import { escapeHtml } from './html';
import { STAFF_COOKIE } from './staff-auth';

export const staffSignInEndpoints = [
  endpoint<HttpDeps>({
    method: 'get',
    path: '/staff/sign-in',
    summary: 'A page to sign in with a staff token (for the Web UI to decode through the codec)',
    tag: 'pages',
    who: 'anyone',
    answers: { 200: ['the page', 'html'] },
    handle: ({ deps, res }) => page(res, 200, 'Staff sign-in', signInForm(deps, '')),
  }),
  endpoint<HttpDeps>({
    method: 'post',
    path: '/staff/sign-in',
    summary: 'Sign in: the token (form field `token`) becomes a cookie for /codec',
    tag: 'pages',
    who: 'anyone',
    answers: { 200: ['signed in', 'html'], 401: ['not a valid token', 'html'] },
    before: () => [express.urlencoded({ extended: false, limit: '8kb' })],
    handle: async ({ deps, req, res }) => {
      const token = typeof req.body?.token === 'string' ? req.body.token.trim() : '';
      try {
        const member = await deps.security.staffTokens.verify(token);
        const expires = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;
        const maxAge = Math.max(0, expires - Math.floor(Date.now() / 1000));
        res.set('Set-Cookie', `${STAFF_COOKIE}=${encodeURIComponent(token)}; Path=/codec; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${req.secure ? '; Secure' : ''}`);
        const ui = escapeHtml(deps.temporalUiUrl);
        page(res, 200, 'Signed in', `<p>Signed in as <strong>${escapeHtml(member.name)}</strong> (${member.role}) in this browser until the token expires.</p>
<p>Orders in the <a href="${ui}">Temporal Web UI</a> now show their customer data here: the UI opens them through the shop's <code>/codec</code> with your sign-in. Pages already open there show it once reloaded.</p>
<p class="muted">The UI of <code>npm start</code> sends the sign-in on its own. Another UI sends it only with its <em>Data Encoder</em> setting <em>Include cross-origin credentials</em> on (<a href="https://docs.temporal.io/production-deployment/data-encryption">Temporal's docs</a>).</p>
<p><a href="${ui}">Back to the Temporal Web UI</a></p>`);
      } catch (err) {
        if (!(err instanceof TokenRefused)) throw err;
        page(res, 401, 'Staff sign-in', signInForm(deps, `Not signed in: ${escapeHtml(err.message)}.`));
      }
    },
  }),
];

function signInForm(deps: HttpDeps, message: string): string {
  return `<p>Orders in the Temporal Web UI are encrypted. Signed in here with a staff token, this browser can read them there.</p>
<p role="alert">${message}</p>
<form method="post" action="/staff/sign-in">
  <label for="token">Staff token</label>
  <input id="token" name="token" type="password" autocomplete="off" required>
  <button type="submit" class="primary">Sign in</button>
</form>
<p class="muted">Get a token with <code>npm run --silent staff:token -- --name &lt;you&gt; --role admin</code>.</p>
<p><a href="${escapeHtml(deps.temporalUiUrl)}">Back to the Temporal Web UI</a></p>`;
}

/** Laid out like the shop's own pages (web/style.css). */
function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .type('html')
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><link rel="icon" href="/web/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/web/style.css"></head><body><main><h1>${title}</h1>${body}</main></body></html>`);
}
