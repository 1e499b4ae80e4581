"""The import contracts in .importlinter cover every crm package.

lint-imports checks the contracts; this checks that the equality contract
names every package, so a new package cannot import equality monitoring just
because nobody added it to the list.
"""

from __future__ import annotations

import configparser
import pkgutil

import crm
from crm.settings import ROOT

# Allowed to import crm.equality: the reporting package (aggregate counts
# only), the app factory and crm.models, which wire everything together.
ALLOWED = {"crm.equality", "crm.reporting", "crm.models"}


def _contract(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser()
    parser.read(ROOT / ".importlinter")
    return parser[f"importlinter:contract:{name}"]


def test_every_crm_package_is_forbidden_from_importing_equality() -> None:
    contract = _contract("equality")
    sources = set(contract["source_modules"].split())
    packages = {f"crm.{m.name}" for m in pkgutil.iter_modules(crm.__path__)}
    assert contract["type"] == "forbidden"
    assert contract["forbidden_modules"].split() == ["crm.equality"]
    assert packages - ALLOWED - sources == set(), "add these to the equality contract"
    assert sources <= packages, "the contract names a package that does not exist"
