// The OpenID Connect provider the single sign-on tests start on 127.0.0.1 (tests/homeserver/homeserver.py
// `start --oidc-providers N`): the npm package oidc-provider with its development login and consent pages.
//
//   node provider.mjs <port> <synapse base URL> [client id] [client secret]
//
// Any password is accepted for the known users; an unknown login gets the provider's error page. Prints
// "oidc-provider ready <issuer>" once it listens.
import Provider from 'oidc-provider';

const [port, synapseBase, clientId = 'presently-synapse', clientSecret = 'presently-secret'] = process.argv.slice(2);
if (!port || !synapseBase) {
  console.error('usage: node provider.mjs <port> <synapse base URL> [client id] [client secret]');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

const users = Object.fromEntries(['alice', 'bob', 'carol', 'dave'].map((name) => [name, {
  sub: name,
  preferred_username: name,
  name: name[0].toUpperCase() + name.slice(1),
}]));

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [new URL('_synapse/client/oidc/callback', synapseBase).href],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',  // Synapse's default
  }],
  async findAccount(ctx, id) {
    const user = users[id];
    return user && { accountId: id, async claims() { return { ...user }; } };
  },
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
  // Synapse reads the profile claims from the id_token, not from userinfo.
  conformIdTokenClaims: false,
  cookies: { keys: ['presently-test-cookie-key'] },
  features: { devInteractions: { enabled: true } },
});

provider.listen(Number(port), '127.0.0.1', () => console.log(`oidc-provider ready ${issuer}`));
