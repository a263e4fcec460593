"""The rule registry: every Rule subclass in `redcaplint.rules`, by code. Codes are
permanent (rules.md): the registry refuses duplicates and incomplete documentation."""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from redcaplint.rule import SECTIONS, Rule


class RegistryError(Exception):
    pass


@lru_cache(maxsize=1)
def all_rules() -> dict[str, type[Rule]]:
    import redcaplint.rules as package

    found: dict[str, type[Rule]] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if not info.name.startswith("rc"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Rule) and obj is not Rule and obj.__module__ == module.__name__:
                if obj.code in found:
                    raise RegistryError(f"duplicate rule code {obj.code}")
                missing = [s for s in SECTIONS if s not in obj.doc_sections()]
                if missing:
                    raise RegistryError(f"{obj.code} documentation lacks {', '.join(missing)}")
                found[obj.code] = obj
    return dict(sorted(found.items()))


def by_name_or_code(key: str) -> type[Rule] | None:
    rules = all_rules()
    if key.upper() in rules:
        return rules[key.upper()]
    for rule in rules.values():
        if rule.name == key:
            return rule
    return None


def matches(code: str, selectors: list[str]) -> bool:
    """A selector is a code, a prefix (`RC2`, `RC`) or `ALL`."""
    return any(s == "ALL" or code.startswith(s) for s in selectors)


def is_valid_selector(selector: str) -> bool:
    return selector == "ALL" or any(code.startswith(selector) for code in all_rules())


def enabled(select: list[str], ignore: list[str]) -> list[type[Rule]]:
    """ruff's precedence: the more specific selector wins between select and ignore."""
    out = []
    for code, rule in all_rules().items():
        # a rule that is off by default (RC003) is on only when named by its code or a
        # prefix of it, never by ALL (ruff's RUF100 works the same way)
        best_sel = max((len(s) for s in select if (s == "ALL" and rule.default_enabled) or
                        (s != "ALL" and code.startswith(s) and (rule.default_enabled or len(s) > 2))),
                       default=-1)
        best_ign = max((len(s) for s in ignore if s == "ALL" or code.startswith(s)), default=-1)
        if best_sel >= 0 and best_sel > best_ign:
            out.append(rule)
    return out
