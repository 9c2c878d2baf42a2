"""Diary settings, device settings and passphrase rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.core import device_settings, passphrase
from companion.core.device_settings import DeviceSettings
from companion.core.errors import ValidationError
from companion.core.models import Base
from companion.core.settings import AUTO_LOCK_MINUTES, SettingsService
from companion.storage import migrations
from companion.storage.database import Database


@pytest.fixture
def db() -> Database:
    d = Database()
    migrations.upgrade(d.engine, Base.metadata)
    return d


def test_auto_lock_default_and_change(db: Database) -> None:
    service = SettingsService(db)
    assert service.get(AUTO_LOCK_MINUTES) == 5
    service.set(AUTO_LOCK_MINUTES, 12)
    assert service.get(AUTO_LOCK_MINUTES) == 12
    assert service.all([AUTO_LOCK_MINUTES]) == {"auto_lock_minutes": 12}
    assert service.all()["auto_lock_minutes"] == 12  # every feature's options by default


@pytest.mark.parametrize("value", [0, -1, 241, 10**9, True, "5", 2.5, None])
def test_absurd_auto_lock_values_are_refused(db: Database, value: object) -> None:
    service = SettingsService(db)
    with pytest.raises(ValidationError, match="Lock after"):
        service.set(AUTO_LOCK_MINUTES, value)  # type: ignore[arg-type]
    assert service.get(AUTO_LOCK_MINUTES) == 5


def test_a_corrupted_stored_setting_falls_back_to_the_default(db: Database) -> None:
    db.raw_connection.execute(
        "INSERT INTO settings VALUES ('auto_lock_minutes', 'not json', '2026-01-01 00:00:00')"
    )
    assert SettingsService(db).get(AUTO_LOCK_MINUTES) == 5


def test_every_commit_saves_and_read_only_sessions_do_not(db: Database) -> None:
    images: list[bytes] = []
    db.set_saver(images.append)
    service = SettingsService(db)
    service.get(AUTO_LOCK_MINUTES)
    assert images == []
    service.set(AUTO_LOCK_MINUTES, 9)
    assert len(images) == 1
    restored = Database(images[-1])
    assert SettingsService(restored).get(AUTO_LOCK_MINUTES) == 9


def test_device_settings_round_trip_and_private_mode(tmp_path: Path) -> None:
    path = tmp_path / "device.json"
    s = DeviceSettings().with_changes(theme="dark", text_scale=1.3, reduce_motion=True)
    device_settings.save(path, s)
    assert device_settings.load(path) == s
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "content",
    [
        "",
        "not json",
        "[]",
        '{"theme": "neon", "text_scale": 99}',
        '{"text_scale": "big"}',
        '{"unknown": 1}',
        '{"text_scale": NaN}',
    ],
)
def test_broken_device_settings_never_stop_the_app(tmp_path: Path, content: str) -> None:
    path = tmp_path / "device.json"
    path.write_text(content)
    loaded = device_settings.load(path)
    assert loaded.theme in device_settings.THEMES
    assert 0.8 <= loaded.text_scale <= 1.6


def test_missing_device_settings_give_defaults(tmp_path: Path) -> None:
    assert device_settings.load(tmp_path / "nope.json") == DeviceSettings()


@pytest.mark.parametrize(
    ("text", "confirm", "needle"),
    [
        ("", None, "Please type"),
        ("        ", None, "Please type"),
        ("short", None, "at least 8"),
        ("x" * 10_000, None, "at most 1,024"),
        ("correct horse battery", "correct horse batterz", "not the same"),
    ],
)
def test_passphrase_rules(text: str, confirm: str | None, needle: str) -> None:
    with pytest.raises(ValidationError, match=needle):
        passphrase.validate(text, confirm)


def test_passphrase_nfc_and_nfd_are_the_same() -> None:
    passphrase.validate("caf\u00e9 au lait!", "cafe\u0301 au lait!")


def test_strength_meter_is_fast_and_sensible_for_long_input() -> None:
    assert passphrase.strength("").score == 0
    assert passphrase.strength("password").score <= 1
    assert passphrase.strength("violet tractor sings under marmalade").score >= 3
    assert passphrase.strength("x" * 10_000).score <= 1  # length alone is not strength


def test_a_vault_from_a_newer_version_is_refused_clearly(db: Database) -> None:
    from companion.storage.errors import UnsupportedVersionError

    db.raw_connection.execute("DELETE FROM alembic_version")
    db.raw_connection.execute("INSERT INTO alembic_version VALUES ('from-the-future')")
    with pytest.raises(UnsupportedVersionError):
        migrations.upgrade(db.engine, Base.metadata)
