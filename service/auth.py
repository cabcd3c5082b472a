"""Optional API keys: when configured, every /v1/ request needs `Authorization: Bearer <key>`."""

import hmac

from flask import current_app, request

from .errors import APIError

PROTECTED_PREFIX = "/v1/"


def parse_keys(setting):
    """The keys of a comma-separated setting (or a list), blanks dropped, as bytes."""
    keys = setting.split(",") if isinstance(setting, str) else setting
    return [key.strip().encode() for key in keys if key.strip()]


def key_is_valid(presented, keys):
    """Compare against every key in constant time, so timing reveals neither key nor match position."""
    matches = [hmac.compare_digest(presented, key) for key in keys]
    return any(matches)


def bearer_token(header):
    """The token of an `Authorization: Bearer <token>` header as bytes, or None."""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    # WSGI hands headers over as latin-1 text; encoding back recovers the bytes that were sent.
    return token.strip().encode("latin-1", "replace")


def require_api_key():
    keys = current_app.extensions["api_keys"]
    if not keys or not request.path.startswith(PROTECTED_PREFIX):
        return
    token = bearer_token(request.headers.get("Authorization", ""))
    if token is None:
        raise APIError(401, "send an API key as 'Authorization: Bearer <key>'",
                       headers={"WWW-Authenticate": 'Bearer realm="geostance"'})
    if not key_is_valid(token, keys):
        raise APIError(401, "the API key is not valid",
                       headers={"WWW-Authenticate": 'Bearer realm="geostance", error="invalid_token"'})


def register_api_keys(app):
    app.extensions["api_keys"] = parse_keys(app.config["API_KEYS"])
    app.before_request(require_api_key)
