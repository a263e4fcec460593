import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
# a grammar that loops is killed after this long (the fuzzer's Perl mutants find such input)
os.environ.setdefault("REDCAPLINT_PARSE_TIMEOUT", "3")


def shared_examples() -> Path:
    env = os.environ.get("REDCAPLINT_SHARED_EXAMPLES")
    return Path(env) if env else ROOT.parent / "shared" / "examples"


@pytest.fixture
def isolated_config():
    from redcaplint.config import Config

    return Config()
