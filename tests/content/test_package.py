"""The content package stays pure Python and finds its resources wherever it is installed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import companion.content as content
from companion.content import ContentError, normalise_for_search, resource_path

PACKAGE = Path(content.__file__).parent


def test_content_error_is_a_value_error() -> None:
    assert issubclass(ContentError, ValueError)


def test_resource_path_finds_the_bundled_folders() -> None:
    assert resource_path().is_dir()
    assert resource_path("articles").is_dir()
    assert resource_path("exercises").is_dir()
    assert resource_path("helplines.toml").is_file()
    assert resource_path("articles").parent == resource_path()


@pytest.mark.parametrize("parts", [("..",), ("..", "content", "__init__.py"), ("/etc/passwd",)])
def test_resource_path_refuses_to_leave_the_resources_folder(parts: tuple[str, ...]) -> None:
    with pytest.raises(ContentError):
        resource_path(*parts)


def test_no_qt_imports_in_the_content_package() -> None:
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("PySide6", "shiboken6", "companion.ui")), (path, name)


def test_loading_everything_does_not_pull_in_qt() -> None:
    code = (
        "import sys\n"
        "from companion.content.articles import load_articles\n"
        "from companion.content.exercises import load_exercises\n"
        "from companion.content.helplines import load_helplines\n"
        "load_articles(); load_exercises(); load_helplines()\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'\n"
    )
    root = PACKAGE.parent.parent
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def test_normalise_for_search() -> None:
    assert normalise_for_search("Éléphant ÇA Straße") == "elephant ca strasse"


# -- translated content --------------------------------------------------------------------------


def test_translated_content_is_found_beside_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion import i18n

    (tmp_path / "articles" / "locale" / "de").mkdir(parents=True)
    (tmp_path / "articles" / "a.md").write_text("english")
    (tmp_path / "articles" / "b.md").write_text("english")
    (tmp_path / "articles" / "locale" / "de" / "a.md").write_text("deutsch")
    (tmp_path / "locale" / "de").mkdir(parents=True)
    (tmp_path / "helplines.toml").write_text("english")
    (tmp_path / "locale" / "de" / "helplines.toml").write_text("deutsch")
    monkeypatch.setattr(content, "_resources_root", lambda: tmp_path)
    try:
        for language, a, b, helplines in (
            (None, "english", "english", "english"),
            (i18n.PSEUDO, "english", "english", "english"),
            ("de", "deutsch", "english", "deutsch"),
            ("de_AT", "deutsch", "english", "deutsch"),  # the language without its region
            ("fr", "english", "english", "english"),  # nothing translated: the originals
        ):
            i18n.install(language)
            assert content.localized("articles", "a.md").read_text() == a
            assert content.localized("articles", "b.md").read_text() == b
            assert content.localized("helplines.toml").read_text() == helplines
    finally:
        i18n.install(None)


def test_the_bundled_content_reads_the_same_in_a_language_without_translations() -> None:
    from companion import i18n
    from companion.content.articles import load_articles
    from companion.content.helplines import load_helplines

    english = (load_articles(), load_helplines())
    try:
        i18n.install("fr")
        assert (load_articles(), load_helplines()) == english
    finally:
        i18n.install(None)
