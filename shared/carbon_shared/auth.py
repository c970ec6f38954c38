"""JWT bearer auth as the contract states: HS256 locally, RS256 via an OIDC issuer's JWKS by config.

`Caller` is the verified principal; `require_roles(...)` guards an endpoint. Public endpoints simply
do not depend on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from carbon_shared.errors import Forbidden, Unauthorized
from carbon_shared.settings import PlatformSettings

Role = Literal["regulator", "enterprise", "verifier", "region", "department", "ops"]
ROLES: tuple[str, ...] = ("regulator", "enterprise", "verifier", "region", "department", "ops")

_bearer = HTTPBearer(auto_error=False)


@dataclass(frozen=True)
class Principal:
    sub: str
    role: str
    enterprise_id: str | None = None
    agency_id: str | None = None
    department: str | None = None

    def is_enterprise(self, enterprise_id: str) -> bool:
        return self.role == "enterprise" and self.enterprise_id == enterprise_id


class TokenVerifier:
    """Verifies bearer tokens with the configured secret or the issuer's JWKS."""

    def __init__(self, settings: PlatformSettings) -> None:
        self.settings = settings
        self._jwks = jwt.PyJWKClient(settings.jwks_url) if settings.jwks_url else None

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                key=self._key(token),
                algorithms=self.settings.jwt_algorithms + (["RS256"] if self._jwks else []),
                issuer=self.settings.jwt_issuer,
                audience=self.settings.jwt_audience,
                options={"require": ["sub", "exp"], "verify_aud": self.settings.jwt_audience is not None},
            )
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"invalid token: {exc}") from exc
        return _principal(claims)

    def _key(self, token: str) -> Any:
        if self._jwks is not None:
            try:
                return self._jwks.get_signing_key_from_jwt(token).key
            except jwt.PyJWTError as exc:
                raise Unauthorized(f"invalid token: {exc}") from exc
        return self.settings.jwt_secret


def _principal(claims: dict[str, object]) -> Principal:
    role = claims.get("role")
    if role not in ROLES:
        raise Unauthorized(f"token role {role!r} is not one of {', '.join(ROLES)}")
    principal = Principal(
        sub=str(claims["sub"]),
        role=str(role),
        enterprise_id=_opt(claims.get("enterprise_id")),
        agency_id=_opt(claims.get("agency_id")),
        department=_opt(claims.get("department")),
    )
    _require_scope_claim(principal)
    return principal


def _require_scope_claim(p: Principal) -> None:
    missing = {
        "enterprise": ("enterprise_id", p.enterprise_id),
        "verifier": ("agency_id", p.agency_id),
        "department": ("department", p.department),
    }.get(p.role)
    if missing and not missing[1]:
        raise Unauthorized(f"a {p.role} token must carry the `{missing[0]}` claim")


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def mint_token(
    *,
    secret: str,
    role: str,
    sub: str | None = None,
    ttl: dt.timedelta = dt.timedelta(hours=8),
    **claims: str,
) -> str:
    """A development token (HS256). Tests, the CLI and the demo use it; production uses the issuer."""
    now = dt.datetime.now(dt.UTC)
    body: dict[str, object] = {"sub": sub or f"dev-{role}", "role": role, "iat": now, "exp": now + ttl}
    body.update(claims)
    return jwt.encode(body, secret, algorithm="HS256")


async def current_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("missing bearer token")
    verifier: TokenVerifier = request.app.state.token_verifier
    return verifier.verify(credentials.credentials)


Caller = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: str):
    """Dependency: the caller must hold one of `roles`, else 403."""

    async def dependency(principal: Caller) -> Principal:
        if principal.role not in roles:
            raise Forbidden(f"role {principal.role} may not do this; allowed: {', '.join(roles)}")
        return principal

    return Depends(dependency)
