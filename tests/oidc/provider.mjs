// A real OpenID provider (the certified `oidc-provider` package) on loopback, for the sso
// crate's integration tests (crates/sso/tests/provider.rs).
//
// Usage: node provider.mjs CONFIG.json
//
// CONFIG.json (written by the test):
//   {
//     "host": "127.0.0.1",            // listen address; the issuer uses it too
//     "tls_cert": "/path/leaf.pem",   // HTTPS certificate chain (PEM) and key; the test's
//     "tls_key": "/path/leaf.key",    //   own CA signed it
//     "id_token_ttl": 3600,           // seconds
//     "clients": [{ "client_id": "...", "client_secret": "...", "redirect_uris": ["..."],
//                   "id_token_signed_response_alg": "RS256" }],
//     "accounts": { "alice": { "password": "...", "email": "...", "name": "...",
//                              "groups": ["..."] } }
//   }
//
// It listens on a random port and prints one JSON line on stdout once it accepts
// connections: {"issuer":"https://127.0.0.1:PORT","port":PORT}. It stops when stdin
// closes (so it never outlives the test) or on SIGTERM.
//
// Interactions: GET /interaction/UID renders a login form (username, password) that posts
// to /interaction/UID/login; a wrong password renders the form again with an error. Consent
// is granted automatically (loadExistingGrant) for the registered first-party clients.
// Signing keys (RSA, P-256, Ed25519) are generated at start; nothing is downloaded.

import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import process from 'node:process';

import Provider from 'oidc-provider';

// stdout carries exactly one line (the issuer) for the test; the provider's own notices
// (console.log/info) go to stderr.
console.log = (...args) => console.error(...args);
console.info = (...args) => console.error(...args);

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const host = config.host || '127.0.0.1';

function jwk(type, options, kid) {
  const { privateKey } = crypto.generateKeyPairSync(type, options);
  return { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig' };
}

const keys = [
  jwk('rsa', { modulusLength: 2048 }, 'rsa-1'),
  jwk('ec', { namedCurve: 'P-256' }, 'p256-1'),
  jwk('ed25519', {}, 'ed25519-1'),
];

const accounts = config.accounts || {};

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(uid, error) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Sign in</title></head><body>
<h1>Sign in</h1>
${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<input name="username" autocomplete="username">
<input name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button>
</form></body></html>`;
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16 * 1024) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const server = https.createServer({
  cert: fs.readFileSync(config.tls_cert),
  key: fs.readFileSync(config.tls_key),
});

server.listen(0, host, () => {
  const { port } = server.address();
  const issuer = `https://${host}:${port}`;

  const provider = new Provider(issuer, {
    clients: config.clients.map((c) => ({
      client_id: c.client_id,
      client_secret: c.client_secret,
      redirect_uris: c.redirect_uris,
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: c.id_token_signed_response_alg || 'RS256',
    })),
    jwks: { keys },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    // Put the scope's claims (email, groups) in the ID token itself, not only in userinfo.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    ttl: { IdToken: config.id_token_ttl || 3600, AccessToken: 600, AuthorizationCode: 60 },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, id) {
      const account = accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: account.email,
            email_verified: account.email_verified !== false,
            name: account.name,
            groups: account.groups || [],
          };
        },
      };
    },
    // First-party clients: grant the requested scopes without a consent page.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
  });

  const callback = provider.callback();

  server.on('request', async (req, res) => {
    const url = new URL(req.url, issuer);
    const match = url.pathname.match(/^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/);
    if (!match) {
      callback(req, res);
      return;
    }
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.uid !== match[1]) throw new Error('interaction mismatch');
      if (!match[2] && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(loginPage(details.uid));
        return;
      }
      if (match[2] && req.method === 'POST') {
        const form = await readForm(req);
        const username = form.get('username') || '';
        const account = accounts[username];
        const given = Buffer.from(form.get('password') || '');
        const expected = Buffer.from(account ? account.password : '');
        const ok = account && given.length === expected.length
          && crypto.timingSafeEqual(given, expected);
        if (!ok) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(loginPage(details.uid, 'Wrong username or password.'));
          return;
        }
        await provider.interactionFinished(req, res, { login: { accountId: username } }, {
          mergeWithLastSubmission: false,
        });
        return;
      }
      res.writeHead(405);
      res.end();
    } catch (err) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`interaction failed: ${err.message}`);
    }
  });

  process.stdout.write(`${JSON.stringify({ issuer, port })}\n`);
});

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
