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
    assert device_settings.MIN_TEXT_SCALE <= loaded.text_scale <= device_settings.MAX_TEXT_SCALE


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


# -- versions and upgrade steps (a made-up version 2 of each store) ----------------------------


def _diary_v2(values: dict[str, object]) -> dict[str, object]:
    """Version 2 renames "lock_after_seconds" to "auto_lock_minutes" and converts it."""
    if "lock_after_seconds" in values:
        seconds = values.pop("lock_after_seconds")
        values["auto_lock_minutes"] = max(1, round(float(seconds) / 60))  # type: ignore[arg-type]
    return values


def _device_v2(values: dict[str, object]) -> dict[str, object]:
    """Version 2 renames "colours" to "theme" and stores the text size as a fraction."""
    if "colours" in values:
        values["theme"] = values.pop("colours")
    if isinstance(values.get("text_scale"), str):
        values["text_scale"] = int(str(values["text_scale"]).rstrip("%")) / 100
    return values


@pytest.fixture
def version_2(monkeypatch: pytest.MonkeyPatch) -> None:
    from companion.core import settings

    monkeypatch.setattr(settings, "DIARY_VERSION", 2)
    monkeypatch.setattr(settings, "DEVICE_VERSION", 2)
    monkeypatch.setattr(settings, "UPGRADES", (("diary", 2, _diary_v2), ("device", 2, _device_v2)))


def _stored(db: Database) -> dict[str, str]:
    rows = db.raw_connection.execute("SELECT key, value FROM settings").fetchall()
    return {key: value for key, value in rows}


def test_a_diary_from_version_1_is_brought_up_to_date_once(db: Database, version_2: None) -> None:
    db.raw_connection.execute(
        "INSERT INTO settings VALUES ('lock_after_seconds', '600', '2026-01-01 00:00:00')"
    )
    db.raw_connection.execute(
        "INSERT INTO settings VALUES ('settings.version', '1', '2026-01-01 00:00:00')"
    )
    service = SettingsService(db)
    assert service.upgrade() is True
    assert service.get(AUTO_LOCK_MINUTES) == 10
    assert _stored(db) == {"auto_lock_minutes": "10", "settings.version": "2"}
    assert service.upgrade() is False  # nothing left to do: nothing written


def test_a_diary_at_the_current_version_is_not_written(db: Database, version_2: None) -> None:
    db.raw_connection.execute(
        "INSERT INTO settings VALUES ('settings.version', '2', '2026-01-01 00:00:00')"
    )
    db.raw_connection.commit()
    images: list[bytes] = []
    db.set_saver(images.append)
    db.save()  # what was written above
    images.clear()
    assert SettingsService(db).upgrade() is False
    assert images == []


def test_unlocking_an_older_diary_upgrades_and_saves_it(tmp_path: Path) -> None:
    from companion.core import settings
    from companion.core.session import OpenDiary

    vault = tmp_path / "diary.companion"
    diary, _key = OpenDiary.create(vault, "harbour-lantern-quietly-orbit-7")
    diary.db.raw_connection.execute(
        "INSERT INTO settings VALUES ('lock_after_seconds', '180', '2026-01-01 00:00:00')"
    )
    diary.db.raw_connection.commit()
    diary.db.save(force=True)
    diary.lock()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "DIARY_VERSION", 2)
        patch.setattr(settings, "UPGRADES", (("diary", 2, _diary_v2),))
        diary = OpenDiary.unlock(vault, passphrase="harbour-lantern-quietly-orbit-7")
        diary.lock()
    diary = OpenDiary.unlock(vault, passphrase="harbour-lantern-quietly-orbit-7")
    try:  # saved at unlock: the upgraded value is in the file
        assert diary.service(SettingsService).get(AUTO_LOCK_MINUTES) == 3
    finally:
        diary.close()


def test_a_device_file_from_version_1_is_read_upgraded_and_saved_current(
    tmp_path: Path, version_2: None
) -> None:
    import json

    path = tmp_path / "device.json"
    path.write_text(json.dumps({"version": 1, "colours": "dark", "text_scale": "115%"}))
    loaded = device_settings.load(path)
    assert (loaded.theme, loaded.text_scale) == ("dark", 1.15)
    device_settings.save(path, loaded)
    document = json.loads(path.read_text())
    assert document["version"] == 2 and document["theme"] == "dark" and "colours" not in document
    assert device_settings.load(path) == loaded  # version 2 runs no step again


def test_a_device_file_without_a_version_counts_as_the_oldest(
    tmp_path: Path, version_2: None
) -> None:
    path = tmp_path / "device.json"
    path.write_text('{"colours": "light"}')
    assert device_settings.load(path).theme == "light"
