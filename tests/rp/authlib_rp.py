"""A relying party built on Authlib (PyPI), not on anything of Rekey's.

Signs a user in against Rekey's OpenID Connect provider: discovery, the
authorization request with PKCE (S256) and a nonce, the browser's hop (its
Rekey session cookie stands in for a user already signed in), the token
exchange, ID token validation against the published JWKS (signature, iss,
aud, exp, iat, nonce, at_hash), and userinfo. Prints what it learned as JSON.

usage: authlib_rp.py ISSUER CLIENT_ID CLIENT_SECRET|- REDIRECT_URI COOKIE
"""

import json
import sys
import warnings

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken

warnings.simplefilter("ignore")  # authlib.jose's deprecation notice
from authlib.jose import JsonWebKey, jwt  # noqa: E402


def main():
    issuer, client_id, secret, redirect_uri, cookie = sys.argv[1:6]
    public = secret == "-"
    meta = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).json()
    assert meta["issuer"] == issuer, meta
    client = OAuth2Session(
        client_id,
        None if public else secret,
        scope="openid profile email",
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="none" if public else "client_secret_basic",
    )
    verifier = generate_token(64)
    nonce = generate_token(20)
    url, state = client.create_authorization_url(
        meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    hop = requests.get(url, headers={"Cookie": cookie}, allow_redirects=False, timeout=10)
    assert hop.status_code == 302, hop.status_code
    callback = hop.headers["Location"]
    assert callback.startswith(redirect_uri), callback
    token = client.fetch_token(
        meta["token_endpoint"],
        authorization_response=callback,
        code_verifier=verifier,
        state=state,
    )
    jwks = JsonWebKey.import_key_set(requests.get(meta["jwks_uri"], timeout=10).json())
    claims = jwt.decode(
        token["id_token"],
        key=jwks,
        claims_cls=CodeIDToken,
        claims_options={"iss": {"essential": True, "values": [issuer]}},
        claims_params={"nonce": nonce, "client_id": client_id, "access_token": token["access_token"]},
    )
    claims.validate()
    userinfo = client.get(meta["userinfo_endpoint"]).json()
    print(json.dumps({
        "alg": claims.header["alg"],
        "id_token": dict(claims),
        "userinfo": userinfo,
        "scope": token.get("scope"),
    }))


if __name__ == "__main__":
    main()
