"""Reference catalogues in config/reference: loaded and validated at start-up."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crm.reference import REFERENCE_DIR, load_reference
from crm.settings import ConfigError


@pytest.fixture
def ref_dir(tmp_path: Path) -> Path:
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, target)
    return target


def test_shipped_catalogues_load_with_sources() -> None:
    ref = load_reference()
    training_codes = ref.training.codes
    assert {"safeguarding", "information_governance", "recruitment_panel"} <= training_codes
    assert len([i for i in ref.training.items if i.extra.get("from_guidance")]) == 9
    assert {g.code for g in ref.adjustments.groups} == {
        "autism_informed", "learning_disability", "trauma_informed", "sensory",
        "physical_access", "communication", "cultural_language"}
    for catalogue in (ref.adjustments, ref.training, ref.service_kinds, ref.skills,
                      ref.involvement_roles, ref.support):
        assert catalogue.source and catalogue.effective_from


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_duplicate_code_names_the_file_and_code(ref_dir: Path) -> None:
    path = ref_dir / "skills.toml"
    first = load_reference(ref_dir).skills.items[0].code
    second = load_reference(ref_dir).skills.items[1].code
    _replace(path, f'code = "{second}"', f'code = "{first}"')
    with pytest.raises(ConfigError, match=rf"skills\.toml.*{first}.*twice"):
        load_reference(ref_dir)


def test_missing_label_names_the_file_and_key(ref_dir: Path) -> None:
    _replace(ref_dir / "service_kinds.toml", "label = ", "labe = ")
    with pytest.raises(ConfigError, match=r"service_kinds\.toml: \[\[item\]\] 1 key 'label'"):
        load_reference(ref_dir)


def test_bad_validity_and_unknown_group_are_refused(ref_dir: Path) -> None:
    _replace(ref_dir / "training.toml", "validity_months = 36", 'validity_months = "3 years"')
    with pytest.raises(ConfigError, match="validity_months"):
        load_reference(ref_dir)


def test_unknown_adjustment_group_is_refused(ref_dir: Path) -> None:
    _replace(ref_dir / "adjustments.toml", 'group = "sensory"', 'group = "nonsense"')
    with pytest.raises(ConfigError, match=r"adjustments\.toml.*'group'"):
        load_reference(ref_dir)


def test_missing_effective_date_is_refused(ref_dir: Path) -> None:
    _replace(ref_dir / "support.toml", "effective_from = 2026-11-26", 'effective_from = "soon"')
    with pytest.raises(ConfigError, match=r"support\.toml: \[meta\] key 'effective_from'"):
        load_reference(ref_dir)
