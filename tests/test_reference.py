"""Reference catalogues in config/reference: loaded and validated at start-up."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from crm.reference import REFERENCE_DIR, Catalogue, load_catalogue, load_reference
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


# ------------------------------------------------------------ dated versions

D1, D2, D3 = dt.date(2026, 4, 1), dt.date(2027, 4, 1), dt.date(2028, 4, 1)


def _version(day: dt.date | str, items: str, groups: str = "") -> str:
    """A small catalogue file. ``items``: "code:label[:group]" separated by spaces."""
    def table(kind: str, spec: str) -> str:
        out = []
        for entry in spec.split():
            code, label, *group = entry.split(":")
            extra = f'group = "{group[0]}"\n' if group else ""
            out.append(f'[[{kind}]]\ncode = "{code}"\nlabel = "{label}"\n'
                       f'description = "About {label}."\n{extra}')
        return "\n".join(out)
    return (f'[meta]\ntitle = "Test"\neffective_from = {day}\nsource = "Test source {day}"\n\n'
            + table("group", groups) + "\n" + table("item", items))


def _write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return directory


def test_a_single_file_is_one_version(tmp_path: Path) -> None:
    _write(tmp_path, {"skills.toml": _version(D1, "a:A b:B")})
    catalogue = load_catalogue("skills", tmp_path)
    assert [v.effective_from for v in catalogue.versions] == [D1]
    assert catalogue.on(D2).codes == {"a", "b"}


def test_every_shipped_catalogue_is_in_force_today() -> None:
    ref = load_reference()
    for f in dataclasses.fields(ref):
        catalogue: Catalogue = getattr(ref, f.name)
        assert catalogue.on(dt.date.today()) is catalogue.versions[-1]


@pytest.mark.parametrize(("day", "expected"), [
    (D1, D1),
    (D2 - dt.timedelta(days=1), D1),
    (D2, D2),
    (D3, D3),
    (D3 + dt.timedelta(days=3650), D3),
])
def test_on_gives_the_latest_version_in_force(tmp_path: Path, day: dt.date,
                                              expected: dt.date) -> None:
    _write(tmp_path, {f"skills/{d}.toml": _version(d, f"a:A{d.year}")
                      for d in (D3, D1, D2)})  # written in any order
    version = load_catalogue("skills", tmp_path).on(day)
    assert version.effective_from == expected
    assert version.source == f"Test source {expected}"
    assert version.label("a") == f"A{expected.year}"


def test_a_day_before_the_first_version_is_a_clear_error(tmp_path: Path) -> None:
    _write(tmp_path, {f"skills/{d}.toml": _version(d, "a:A") for d in (D1, D2)})
    with pytest.raises(ConfigError, match="skills: no version in force on 2026-03-31; "
                                          "the first takes effect on 2026-04-01"):
        load_catalogue("skills", tmp_path).on(D1 - dt.timedelta(days=1))


def test_shortcuts_read_todays_version_and_dropped_codes_keep_their_label(
        tmp_path: Path) -> None:
    today = dt.date.today()
    past, now, future = (today - dt.timedelta(days=400), today - dt.timedelta(days=10),
                         today + dt.timedelta(days=30))
    _write(tmp_path, {f"skills/{past}.toml": _version(past, "a:Old b:Gone"),
                      f"skills/{now}.toml": _version(now, "a:Now c:New"),
                      f"skills/{future}.toml": _version(future, "a:Later c:New d:Soon")})
    catalogue = load_catalogue("skills", tmp_path)
    assert catalogue.effective_from == now
    assert catalogue.codes == {"a", "c"}
    assert catalogue.choices() == [("a", "Now"), ("c", "New")]
    assert catalogue.label("a") == "Now"
    assert catalogue.label("b") == "Gone"  # a record made before may still hold it
    assert catalogue.label("d") == "d"  # not in force yet
    assert catalogue.get("b") is None


# Each row: the files, then the error expected (None: loads).
HISTORIES: list[tuple[str, dict[str, str], str | None]] = [
    ("a code dropped in a later version is fine",
     {f"skills/{D1}.toml": _version(D1, "a:A b:B"), f"skills/{D2}.toml": _version(D2, "a:A")},
     None),
    ("a code may be reworded",
     {f"skills/{D1}.toml": _version(D1, "a:A"), f"skills/{D2}.toml": _version(D2, "a:Ay")},
     None),
    ("a dropped code may not come back",
     {f"skills/{D1}.toml": _version(D1, "a:A b:B"), f"skills/{D2}.toml": _version(D2, "a:A"),
      f"skills/{D3}.toml": _version(D3, "a:A b:B")},
     rf"skills/{D3}\.toml: \[\[item\]\] code 'b' was dropped in .*skills/{D2}\.toml and "
     "cannot come back"),
    ("two versions on one date",
     {f"skills/{D1}.toml": _version(D1, "a:A"), "skills/later.toml": _version(D1, "a:A")},
     rf"effective_from {D1} is also the date of .*{D1}\.toml"),
    ("a file not named by its date",
     {f"skills/{D1}.toml": _version(D1, "a:A"), "skills/next.toml": _version(D2, "a:A")},
     rf"next\.toml: file name must be .*{D2}\.toml"),
    ("each version is checked on its own",
     {f"skills/{D1}.toml": _version(D1, "a:A"),
      f"skills/{D2}.toml": _version(D2, "a:A").replace("label =", "labe =")},
     rf"skills/{D2}\.toml: \[\[item\]\] 1 key 'label' must be non-empty text"),
    ("a date and time is not a date",
     {"skills.toml": _version("2026-04-01T09:00:00", "a:A")},
     r"skills\.toml: \[meta\] key 'effective_from' must be a date"),
    ("a folder and a single file together",
     {"skills.toml": _version(D1, "a:A"), f"skills/{D2}.toml": _version(D2, "a:A")},
     r"skills\.toml: also found the folder"),
    ("an empty folder",
     {"skills/README.txt": "versions go here"},
     r"skills: no versions"),
]


@pytest.mark.parametrize(("files", "error"), [(f, e) for _, f, e in HISTORIES],
                         ids=[name for name, _, _ in HISTORIES])
def test_versions_are_checked_against_each_other(tmp_path: Path, files: dict[str, str],
                                                 error: str | None) -> None:
    _write(tmp_path, files)
    if error is None:
        load_catalogue("skills", tmp_path)
    else:
        with pytest.raises(ConfigError, match=error):
            load_catalogue("skills", tmp_path)


# Grouped catalogues (adjustments): an item's group is part of what its code means.
GROUPED: list[tuple[str, str, str, str | None]] = [
    ("same group", "a:A:g1", "a:A:g1", None),
    ("item moves group", "a:A:g1", "a:A:g2",
     rf"{D2}\.toml: \[\[item\]\] code 'a' key 'group' is 'g2' here but 'g1' in .*{D1}\.toml"),
    ("item dropped, new code in the other group", "a:A:g1", "b:A:g2", None),
]


@pytest.mark.parametrize(("first", "second", "error"), [g[1:] for g in GROUPED],
                         ids=[g[0] for g in GROUPED])
def test_an_item_keeps_its_group(tmp_path: Path, first: str, second: str,
                                 error: str | None) -> None:
    _write(tmp_path, {f"adjustments/{D1}.toml": _version(D1, first, "g1:G1 g2:G2"),
                      f"adjustments/{D2}.toml": _version(D2, second, "g1:G1 g2:G2")})
    if error is None:
        load_catalogue("adjustments", tmp_path, grouped=True)
    else:
        with pytest.raises(ConfigError, match=error):
            load_catalogue("adjustments", tmp_path, grouped=True)


def test_a_catalogues_fixed_keys_may_not_change(tmp_path: Path) -> None:
    """A rate card will fix each code's unit (per hour, per session), not its amount."""
    v1 = _version(D1, "tier:Tier") + 'unit = "hour"\namount = 2500\n'
    v2 = _version(D2, "tier:Tier") + 'unit = "hour"\namount = 2750\n'
    _write(tmp_path, {f"rates/{D1}.toml": v1, f"rates/{D2}.toml": v2})
    catalogue = load_catalogue("rates", tmp_path, fixed=("unit",))
    assert catalogue.on(D2).items[0].extra["amount"] == 2750
    (tmp_path / f"rates/{D2}.toml").write_text(v2.replace('"hour"', '"session"'))
    with pytest.raises(ConfigError, match="code 'tier' key 'unit' is 'session' here but 'hour'"):
        load_catalogue("rates", tmp_path, fixed=("unit",))


def test_start_up_refuses_a_catalogue_not_yet_in_force(ref_dir: Path) -> None:
    (ref_dir / "skills").mkdir()
    (ref_dir / "skills.toml").rename(ref_dir / "skills" / "2026-11-26.toml")
    assert load_reference(ref_dir).skills.codes == load_reference().skills.codes
    with pytest.raises(ConfigError, match=r"reference: adjustments: no version in force on "
                                          "2026-11-25; the first takes effect on 2026-11-26"):
        load_reference(ref_dir, today=dt.date(2026, 11, 25))
