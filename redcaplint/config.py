"""Configuration: `[tool.redcaplint]` in pyproject.toml, or `redcaplint.toml` /
`.redcaplint.toml`, found upward from the checked paths. Unknown keys and bad values are
errors naming the key (exit 2), never silently ignored."""
from __future__ import annotations

import fnmatch
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from redcaplint.tokens import mask

HEX_VALUE = re.compile(r"[0-9A-Fa-f]{32}|[0-9A-Fa-f]{64}")

CONFIG_FILES = (".redcaplint.toml", "redcaplint.toml", "pyproject.toml")
SEVERITIES = ("error", "warning", "note")


class ConfigError(Exception):
    pass


@dataclass
class Config:
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    extend_exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    allowed_tokens: set[str] = field(default_factory=set)
    max_requests_per_minute: float = 3.0
    large_export_interval: float = 300.0
    batch_threshold: int = 10000
    path: Optional[str] = None  # the file it came from
    root: str = "."

    @property
    def interval(self) -> float:
        return 60.0 / self.max_requests_per_minute

    def ignored_for(self, relpath: str) -> list[str]:
        out: list[str] = []
        name = os.path.basename(relpath)
        for pattern, codes in self.per_file_ignores.items():
            if fnmatch.fnmatch(relpath, pattern) or fnmatch.fnmatch(name, pattern):
                out.extend(codes)
        return out


def _load_toml(path: Path) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {str(exc).splitlines()[0] if str(exc) else exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: cannot read configuration: nested too deeply") from None


def _section(data: dict, path: Path) -> Optional[dict]:
    """`[tool.redcaplint]` of a pyproject.toml (None when absent), checked for shape: `tool = 1`
    or `redcaplint = "x"` is an error naming the key, not a crash."""
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: `tool` must be a table")
    section = tool.get("redcaplint")
    if section is not None and not isinstance(section, dict):
        raise ConfigError(f"{path}: `tool.redcaplint` must be a table")
    return section


def find_config(start: Path) -> Optional[Path]:
    start = start.resolve()
    current = start if start.is_dir() else start.parent
    for folder in [current, *current.parents]:
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml" and _section(_load_toml(candidate), candidate) is None:
                    continue
                return candidate
    return None


def load(path: Optional[Path]) -> Config:
    if path is None:
        return Config()
    data = _load_toml(path)
    if path.name == "pyproject.toml":
        data = _section(data, path) or {}
    elif "tool" in data:
        section = _section(data, path)
        if section is None:
            raise ConfigError(f"{path}: unknown configuration key `tool`")
        data = section
    config = from_mapping(data, str(path))
    config.path = str(path)
    config.root = str(path.parent)
    return config


def _codes(key: str, value: Any, where: str) -> list[str]:
    from redcaplint.registry import is_valid_selector

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of rule codes")
    for v in value:
        if not is_valid_selector(v.upper()):
            raise ConfigError(f"{where}: `{key}` names an unknown rule code or prefix {v!r}")
    return [v.upper() for v in value]


def _number(key: str, value: Any, where: str, minimum: float = 0) -> float:
    # nan compares false with everything, inf makes every interval 0 or infinite: both refused
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value <= minimum:
        raise ConfigError(f"{where}: `{key}` must be a finite number greater than {minimum:g}")
    return float(value)


def _whole(key: str, value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{where}: `{key}` must be a whole number greater than 0")
    return value


def from_mapping(data: dict, where: str = "configuration") -> Config:
    c = Config()
    for key, value in data.items():
        if key == "select":
            c.select = _codes(key, value, where)
        elif key == "ignore":
            c.ignore = _codes(key, value, where)
        elif key == "extend-select":
            c.extend_select = _codes(key, value, where)
        elif key in ("exclude", "extend-exclude"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: `{key}` must be a list of glob patterns")
            setattr(c, key.replace("-", "_"), list(value))
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: `per-file-ignores` must be a table of pattern = [codes]")
            c.per_file_ignores = {k: _codes(f"per-file-ignores.{k}", v, where) for k, v in value.items()}
        elif key == "severity":
            from redcaplint.registry import all_rules

            if not isinstance(value, dict):
                raise ConfigError(f"{where}: `severity` must be a table of CODE = level")
            for code, level in value.items():
                if code.upper() not in all_rules():
                    raise ConfigError(f"{where}: `severity` names an unknown rule code {code!r}")
                if level not in SEVERITIES:
                    raise ConfigError(f"{where}: `severity.{code}` must be one of {', '.join(SEVERITIES)}")
                c.severity[code.upper()] = level
        elif key == "allowed-tokens":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: `allowed-tokens` must be a list of strings")
            for v in value:
                # a token (32 or 64 hex characters) or a token's SHA-256 (64 hex): anything
                # else can never match and is a typo; the message masks what it quotes
                if not HEX_VALUE.fullmatch(v.strip()):
                    raise ConfigError(f"{where}: `allowed-tokens` entry {mask(v.strip())!r} is neither a token "
                                      "(32 or 64 hex characters) nor a token's SHA-256")
            c.allowed_tokens = {v.strip() for v in value} | {v.strip().lower() for v in value}
        elif key == "max-requests-per-minute":
            c.max_requests_per_minute = _number(key, value, where)
        elif key == "large-export-interval-seconds":
            c.large_export_interval = _number(key, value, where)
        elif key == "batch-size-threshold":
            c.batch_threshold = _whole(key, value, where)
        else:
            raise ConfigError(f"{where}: unknown configuration key `{key}`")
    return c
