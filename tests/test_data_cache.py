"""The parsed data tables (rules/data/*.toml) are kept as JSON between runs; the cache must
never change what is read, and a broken or unwritable cache is not an error."""
import json

import pytest

import redcaplint.rules as rules


def fresh(name: str) -> dict:
    rules.load_data.cache_clear()
    return rules.load_data(name)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("REDCAPLINT_CACHE_DIR", str(tmp_path))
    yield tmp_path
    rules.load_data.cache_clear()


def test_the_cache_holds_what_the_toml_says(cache, monkeypatch):
    first = fresh("clients")
    files = list(cache.glob("clients-*.json"))
    assert len(files) == 1
    assert json.loads(files[0].read_text()) == first
    monkeypatch.setenv("REDCAPLINT_CACHE_DIR", "")  # off: the TOML itself
    assert fresh("clients") == first


def test_a_corrupt_cache_file_is_parsed_again_and_replaced(cache):
    expected = fresh("api")
    (path,) = cache.glob("api-*.json")
    path.write_text('{"truncated": ')
    assert fresh("api") == expected
    assert json.loads(path.read_text()) == expected


def test_a_cache_entry_belongs_to_one_version_of_the_table(cache):
    fresh("api")
    (path,) = cache.glob("api-*.json")
    # a stale entry under another name (an older table) is never read
    path.rename(cache / "api-00000000000000000000.json")
    path.parent.joinpath("api-00000000000000000000.json").write_text('{"stale": true}')
    assert "stale" not in fresh("api")


def test_an_unwritable_cache_folder_is_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("REDCAPLINT_CACHE_DIR", str(blocker / "sub"))
    try:
        assert fresh("api")
    finally:
        rules.load_data.cache_clear()
