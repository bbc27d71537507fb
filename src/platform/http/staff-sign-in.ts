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
    handle: ({ res }) => page(res, 200, 'Staff sign-in', signInForm('')),
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
        page(res, 200, 'Signed in', `<p>Signed in as <strong>${escapeHtml(member.name)}</strong> (${member.role}). The Temporal Web UI can now decode orders through <code>/codec</code> in this browser.</p>`);
      } catch (err) {
        if (!(err instanceof TokenRefused)) throw err;
        page(res, 401, 'Staff sign-in', signInForm(`Not signed in: ${escapeHtml(err.message)}.`));
      }
    },
  }),
];

function signInForm(message: string): string {
  return `${message ? `<p role="alert">${message}</p>` : ''}
<form method="post" action="/staff/sign-in">
  <label for="token">Staff token</label>
  <input id="token" name="token" type="password" autocomplete="off" required>
  <button type="submit">Sign in</button>
</form>
<p>Get a token with <code>npm run --silent staff:token -- --name &lt;you&gt; --role admin</code>.</p>`;
}

function page(res: Response, status: number, title: string, body: string): void {
  res.status(status).type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`);
}
