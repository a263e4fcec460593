"""What "holds the token" means (RC102, and RC101's positional contexts): a value that carries
the API token itself, read through the model's names, items, environment lookups and a
project-creation call's result — not something derived from it (a masked prefix, a length)."""
from __future__ import annotations

import re

from redcaplint.model import Attr, Call, Concat, Const, Dict, EnvLookup, Item, Name, Param, Seq, Str, Unknown, Value
from redcaplint.resolve import Analysis
from redcaplint.tokens import is_token_format, is_token_literal

TOKENISH = re.compile(
    r"(?i)(^|[_.])((redcap_?)?(api_?|super_?|project_?)?token|(redcap_?)?api_?key|redcap_?key)s?$")
NOT_TOKEN_NAME = re.compile(r"(?i)(file|path|name|var|env|len|length|count|url|type|header|dir|col)s?$")
# `get_token`, `readApiToken`, `load_redcap_token`: a verb, then nothing but the token's name
READER = re.compile(r"(?i)(?:get|read|load|fetch)_?(redcap_?)?((api_?|super_?|project_?)?token|api_?key)s?$")
# an environment variable that holds a REDCap token: `REDCAP_API_TOKEN`, `TOKEN_PROD`, `API_KEY`,
# `REDCAP_SECRET` — not `DB_PASSWORD` or Django's `SECRET_KEY`
ENV_TOKEN_KEY = re.compile(r"(?i)token|api_?key|redcap\w*(key|secret|pass)")
# another service's credential (`GH_TOKEN`, `GITHUB_TOKEN`, `HF_TOKEN`, an OAuth
# `access_token`, a `csrf_token`): token-named, but not a REDCap API token
OTHER_SERVICE = re.compile(
    r"(?i)(^|[_.])(gh|github|gitlab|bitbucket|slack|discord|telegram|npm|pypi|hf|huggingface|aws|azure|gcp|"
    r"google|twilio|sentry|openai|csrf|xsrf|access|refresh|id|auth|oauth2?|bearer|jwt|session|travis|circle|"
    r"codecov|docker|dockerhub|heroku|dropbox|zenodo|osf|figshare|mapbox|stripe|sendgrid|firebase|vault)"
    r"[_.]?(api_?)?tokens?")


def tokenish_name(name: str) -> bool:
    return (bool(TOKENISH.search(name)) and not NOT_TOKEN_NAME.search(name) and name.lower() not in ("key",)
            and not other_service(name))


def tokenish_env_key(key: str) -> bool:
    return bool(ENV_TOKEN_KEY.search(key)) and not other_service(key)


def other_service(name: str) -> bool:
    return "redcap" not in name.lower() and OTHER_SERVICE.search(name) is not None


def sent_as_token(an: Analysis, api_calls) -> frozenset:
    """The variables (defining scope, name) the file sends as a request's `token`: whatever
    they are called, they hold it (`token_api=$(cat ~/.redcap); curl -d token=$token_api …`)."""
    return frozenset(_binding(an, p.written, api.scope) for api in api_calls
                     for p in (api.params.get("token"),) if p is not None and isinstance(p.written, Name))


def _binding(an: Analysis, name: Name, scope: int) -> tuple[int, str]:
    found = an.lookup(name.name, scope, name.span.start)
    return (found[1] if found is not None else scope, name.name)


def holds_token(an: Analysis, value: Value, scope: int, depth: int = 0, sent: frozenset = frozenset()) -> bool:
    """Does this value carry the API token itself (not something derived from it)? `sent`:
    the variables requests send as their token (sent_as_token)."""
    if depth > 10:
        return False
    if isinstance(value, Name):
        if sent and _binding(an, value, scope) in sent:
            return True
        resolved = an.resolve(value, scope)
        if isinstance(resolved, Str):
            # a hex literal held by a token-named variable is a token in any case
            return holds_token(an, resolved, scope, depth + 1, sent) or (
                tokenish_name(value.name.rpartition(".")[2]) and is_token_literal(resolved.value))
        if isinstance(resolved, Item):
            # `$token = $configs['CONNECTION']`, `token = sys.argv[1]`: a token-named variable
            # filled from a container is the token whatever the container's key says
            return holds_token(an, resolved, scope, depth + 1, sent) or tokenish_name(value.name.rpartition(".")[2])
        if resolved is not value and not isinstance(resolved, (Param, Unknown, Attr, Call)):
            return holds_token(an, resolved, scope, depth + 1, sent)
        if isinstance(resolved, (Call, Attr)) and holds_token(an, resolved, scope, depth + 1, sent):
            return True
        return tokenish_name(value.name.rpartition(".")[2])
    if isinstance(value, Param):
        return tokenish_name(value.name)
    if isinstance(value, Item):
        # `cfg["token"]` is the token; `token[:4]` (a slice, a masked prefix) is not
        resolved = an.resolve(value, scope)
        if resolved is not value:
            return holds_token(an, resolved, scope, depth + 1, sent)
        key = an.resolve(value.key, scope)
        return isinstance(key, Str) and tokenish_name(key.value)
    if isinstance(value, EnvLookup):
        key = an.resolve(value.key, scope) if value.key is not None else None
        return not isinstance(key, Str) or tokenish_env_key(key.value)
    if isinstance(value, Str):
        return is_token_format(value.value.strip())
    if isinstance(value, Attr):
        if tokenish_name(value.attr):
            return True
        return value.attr in an.idioms["response_body"] and is_created_token(an, value.base, scope)
    if isinstance(value, Concat):
        return any(holds_token(an, p, scope, depth + 1, sent) for p in value.parts)
    if isinstance(value, Dict):
        # a payload holds the token under its `token` key, whatever expression fills it
        for k, v in value.entries:
            if isinstance(k, Str) and k.value.lower() == "token" and not (
                    isinstance(v, Str) and not is_token_literal(v.value)) and not isinstance(v, Const):
                return True
        return any(holds_token(an, v, scope, depth + 1, sent) for _, v in value.entries)
    if isinstance(value, Seq):
        return any(holds_token(an, v, scope, depth + 1, sent) for v in value.items)
    if isinstance(value, Call):
        if value.receiver is not None and value.callee in an.idioms["string_methods"]:
            return holds_token(an, value.receiver, scope, depth + 1, sent)
        if is_created_token(an, value, scope):
            return True
        # a helper that reads the token (`get_token()`, `readApiToken()`), not a lexer's
        # `getCurrentToken()`: what follows the verb is a token name
        return READER.match(value.callee.rpartition(".")[2]) is not None
    return False

def is_created_token(an: Analysis, value: Value, scope: int) -> bool:
    """The result of a project-creation call is the new project's token (RC102)."""
    value = an.resolve(value, scope)
    if isinstance(value, Attr):
        value = an.resolve(value.base, scope)
    if isinstance(value, Call) and value.receiver is not None and value.callee in an.idioms["response_body"]:
        value = an.resolve(value.receiver, scope)
    if not isinstance(value, Call):
        return False
    return value.span in an.created_spans
