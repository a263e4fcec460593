"""redcaplint's rule knowledge: one module per catalog code, and the REDCap data tables.

Installed as `redcaplint.rules` (a setuptools package-dir mapping of this top-level folder).
"""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


def cache_dir() -> Path | None:
    """Where parsed data tables are kept between runs: `REDCAPLINT_CACHE_DIR`, else the user's
    cache folder; an empty `REDCAPLINT_CACHE_DIR` turns the cache off."""
    chosen = os.environ.get("REDCAPLINT_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "redcaplint"


@lru_cache(maxsize=None)
def load_data(name: str) -> dict:
    """`data/<name>.toml` shipped inside the package. Parsing TOML in pure Python costs more
    than half of a run's start-up, so the parsed tables are also kept as JSON (read by the C
    parser, no code runs) under a name holding the TOML's hash: an edited table is parsed
    again, and a cache that cannot be read or written is simply not used."""
    raw = (DATA / f"{name}.toml").read_bytes()
    folder = cache_dir()
    cached = None if folder is None else folder / f"{name}-{hashlib.sha256(raw).hexdigest()[:20]}.json"
    if cached is not None:
        try:
            return json.loads(cached.read_bytes())
        except (OSError, ValueError):
            pass
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11
        import tomli as tomllib
    data = tomllib.loads(raw.decode("utf-8"))
    if cached is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            part = cached.with_suffix(f".{os.getpid()}.part")
            part.write_text(json.dumps(data), encoding="utf-8")
            os.replace(part, cached)
        except OSError:
            pass
    return data
