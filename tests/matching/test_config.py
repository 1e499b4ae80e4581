"""The matching policy file: shipped file loads; bad files are refused with
the file and key named."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm.matching.config import MATCHING_FILE, load_matching_config
from crm.settings import ConfigError


def test_the_shipped_policy_loads() -> None:
    config = load_matching_config()
    assert config.weights.fewer_recent_offers > 0
    assert config.max_roles_per_person >= 1


@pytest.mark.parametrize(("old", "new", "message"), [
    ("skills = 3.0", "skills = -1", "[weights] key 'skills'"),
    ("skills = 3.0", "skills = 3.0\nluck = 9", "unknown keys ['luck']"),
    ("window_days = 365", "window_days = 0", "[fairness] key 'window_days'"),
    ("max_roles_per_person = 2", "max_roles_per_person = 1.5",
     "[batch] key 'max_roles_per_person' must be a whole number"),
    ("[batch]", "[batches]", "table [batch] is missing"),
])
def test_a_bad_policy_file_names_the_key(tmp_path: Path, old: str, new: str,
                                         message: str) -> None:
    text = MATCHING_FILE.read_text()
    assert old in text
    bad = tmp_path / "matching.toml"
    bad.write_text(text.replace(old, new, 1))
    with pytest.raises(ConfigError) as raised:
        load_matching_config(bad)
    assert message in str(raised.value) and str(bad) in str(raised.value)
