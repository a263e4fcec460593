"""redcaplint's rule knowledge: one module per catalog code, and the REDCap data tables.

Installed as `redcaplint.rules` (a setuptools package-dir mapping of this top-level folder).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load_data(name: str) -> dict:
    """Load `data/<name>.toml` shipped inside the package."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11
        import tomli as tomllib
    text = resources.files(__name__).joinpath("data", f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
