"""companion/appinfo.py: one app id and one set of names, in the forms stores and Qt accept."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest

import companion
from companion import appinfo

ROOT = Path(__file__).resolve().parents[2]
# Flatpak/AppStream/D-Bus rules: 3+ dot-separated elements of [A-Za-z0-9_], none starting with a
# digit, 255 characters at most; no hyphens (Flathub asks for underscores instead).
REVERSE_DNS = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){2,}$")


def test_app_id_is_reverse_dns_under_a_code_hosting_prefix() -> None:
    assert REVERSE_DNS.match(appinfo.APP_ID)
    assert len(appinfo.APP_ID) <= 255
    assert appinfo.APP_ID.startswith("io.github.")
    assert not appinfo.APP_ID.startswith("org.companion.")  # a domain the project does not own


def test_organisation_domain_is_the_app_ids_prefix_read_forwards() -> None:
    owner_prefix = appinfo.APP_ID.rsplit(".", 1)[0]  # io.github.companiondiary
    forwards = ".".join(reversed(owner_prefix.split(".")))
    assert forwards == appinfo.ORGANIZATION_DOMAIN
    assert appinfo.HOMEPAGE.startswith(f"https://github.com/{owner_prefix.split('.')[-1]}/")


def test_windows_app_user_model_id_fits_the_rules() -> None:
    aumid = appinfo.WINDOWS_APP_USER_MODEL_ID
    assert aumid == appinfo.APP_ID  # one id everywhere
    assert len(aumid) <= 128 and " " not in aumid and aumid.count(".") <= 3


def test_names_are_defined_once() -> None:
    assert appinfo.DISPLAY_NAME == companion.APP_NAME
    assert appinfo.ORGANIZATION_NAME == companion.APP_NAME
    assert companion.__version__ == appinfo.VERSION
    assert re.fullmatch(r"\d+\.\d+\.\d+", appinfo.VERSION)


def test_pyproject_reads_the_version_and_names_from_the_same_place() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == appinfo.DISTRIBUTION_NAME
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "companion.__version__"}
    assert project["project"]["license"] == appinfo.LICENSE
    assert appinfo.EXECUTABLE in project["project"]["scripts"]
    # the version is a literal setuptools can read without importing the package
    tree = ast.parse((ROOT / "companion" / "__init__.py").read_text(encoding="utf-8"))
    literals = [
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets)
        and isinstance(node.value, ast.Constant)
    ]
    assert literals == [appinfo.VERSION]


def test_installed_metadata_matches() -> None:
    try:
        installed = importlib.metadata.version(appinfo.DISTRIBUTION_NAME)
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("companion-diary is not installed here: run pip install -e . again")
    assert installed == appinfo.VERSION


def test_appinfo_imports_nothing_but_the_package_itself() -> None:
    tree = ast.parse((ROOT / "companion" / "appinfo.py").read_text(encoding="utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    assert imported <= {"__future__", "typing", "companion"}
