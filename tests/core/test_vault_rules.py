"""Issue 18 at the core level: passphrase strength, generated passphrases, the recovery-key
rule, read-only opening, in-place restore, full row checks and local-day export ranges."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

import companion.core.features  # noqa: F401
from companion.core import passphrase as rules
from companion.core import portable
from companion.core.diary_check import check_rows
from companion.core.errors import ValidationError
from companion.core.mood import CheckIn, MoodService
from companion.core.unlocked import OpenDiary
from companion.storage.errors import PassphraseChangeRequiredError

from .mood_helpers import fresh_db

STRONG = "violet tractor marmalade"
NEWER = "quilt harbour lantern seventeen"
#: the review's list (F1): all scored 0 by zxcvbn and were accepted
WEAK = ("password1", "12345678", "aaaaaaaa", "qwertyui", "Password", "p@ssw0rd")

# --------------------------------------------------------------------------- strength


@pytest.mark.parametrize("weak", WEAK)
def test_weak_passphrases_are_refused_with_reason_and_time(weak: str) -> None:
    with pytest.raises(rules.WeakPassphraseError) as info:
        rules.validate(weak)
    text = str(info.value)
    assert "too easy to guess" in text
    assert info.value.strength.score < rules.MIN_SCORE
    # the time is at this diary's own cost (0.5 s per guess), in plain words
    assert info.value.strength.crack_time in text
    assert weak not in text  # never echoed


def test_guessing_time_uses_the_vaults_cost() -> None:
    assert rules.guessing_time(190) == "about 2 minutes"  # "password1" at 0.5 s/guess
    assert rules.guessing_time(10) == "less than a minute"
    assert rules.guessing_time(2 * 3600 * 5) == "about 5 hours"
    assert rules.guessing_time(1e30) == "more than a thousand years"
    assert rules.guessing_time(190, seconds_per_guess=1.0) == "about 3 minutes"


def test_strong_passphrases_pass_and_weak_only_with_allow_weak() -> None:
    rules.validate(STRONG)
    rules.validate("password1", allow_weak=True)  # the GUI's explicit override
    with pytest.raises(ValidationError, match="at least 8"):
        rules.validate("short", allow_weak=True)  # the length rule is never waived


def test_generated_passphrases_are_strong_random_words() -> None:
    words = set(rules.word_list())
    made = {rules.generate() for _ in range(50)}
    assert len(made) == 50
    for text in made:
        parts = text.split(" ")
        assert len(parts) == rules.GENERATED_WORDS and set(parts) <= words
        assert rules.strength(text).score >= rules.MIN_SCORE
        rules.validate(text)
    assert rules.generated_bits() > 77


def test_bundled_word_list_is_the_eff_large_list_unchanged() -> None:
    from companion.content import resource_path

    raw = resource_path("wordlists", "eff_large_wordlist.txt").read_bytes()
    assert (
        hashlib.sha256(raw).hexdigest()
        == "addd35536511597a02fa0a9ff1e5284677b8883b83e986e43f15a3db996b903e"
    )
    assert len(rules.word_list()) == 7776
    notice = resource_path("wordlists", "NOTICE.md").read_text(encoding="utf-8")
    assert "CC BY 3.0" in notice and "Electronic Frontier Foundation" in notice


def test_every_path_that_sets_a_passphrase_refuses_weak_ones(data_dir: Path) -> None:
    path = data_dir / "vault.companion"
    with pytest.raises(rules.WeakPassphraseError):
        OpenDiary.create(path, "password1")
    assert not path.exists()
    diary, _ = OpenDiary.create(path, STRONG)
    before = path.read_bytes()
    with pytest.raises(rules.WeakPassphraseError):
        diary.change_passphrase("p@ssw0rd", "p@ssw0rd")
    assert path.read_bytes() == before
    diary.change_passphrase("qwertyui", "qwertyui", allow_weak=True)  # GUI override only
    diary.lock()
    OpenDiary.unlock(path, passphrase="qwertyui").lock()


# --------------------------------------------------------------------------- recovery key


def test_recovery_unlock_writes_nothing_until_a_new_passphrase(data_dir: Path) -> None:
    path = data_dir / "vault.companion"
    diary, recovery = OpenDiary.create(path, STRONG)
    diary.lock()
    opened = OpenDiary.unlock(path, recovery_key=recovery)
    assert opened.must_change_passphrase
    before = path.read_bytes()
    with pytest.raises(PassphraseChangeRequiredError):
        MoodService(opened.db).create_entry(CheckIn(mood=5, note="typed before the change"))
    assert path.read_bytes() == before
    result = opened.change_passphrase(NEWER, NEWER)
    assert not opened.must_change_passphrase and result.backups_kept == 0
    MoodService(opened.db).create_entry(CheckIn(mood=6))
    opened.lock()
    again = OpenDiary.unlock(path, passphrase=NEWER)
    assert len(MoodService(again.db).entries()) == 2  # the first was kept in memory, then saved
    again.lock()


def test_recovery_from_damage_with_the_recovery_key_saves_only_after_the_change(
    data_dir: Path,
) -> None:
    path = data_dir / "vault.companion"
    diary, recovery = OpenDiary.create(path, STRONG)
    MoodService(diary.db).create_entry(CheckIn(mood=4))
    diary.lock()
    damaged = bytearray(path.read_bytes())
    damaged[-30] ^= 4
    path.write_bytes(bytes(damaged))
    restored, _backup = OpenDiary.recover_from_newest_backup(path, recovery_key=recovery)
    assert restored.must_change_passphrase
    assert path.read_bytes() == bytes(damaged)  # not written yet
    result = restored.change_passphrase(NEWER)
    restored.lock()
    assert result.backups_kept >= 1  # the damaged file: kept aside, never deleted
    OpenDiary.unlock(path, passphrase=NEWER).lock()


# --------------------------------------------------------------------------- restore in place


def test_restore_keeps_every_holder_of_the_database_working(data_dir: Path) -> None:
    path = data_dir / "vault.companion"
    diary, _ = OpenDiary.create(path, STRONG)
    service = MoodService(diary.db)  # what a page holds
    service.create_entry(CheckIn(mood=2))
    diary.lock()
    diary = OpenDiary.unlock(path, passphrase=STRONG)
    service = MoodService(diary.db)
    db = diary.db
    service.create_entry(CheckIn(mood=9))
    backup = next(b for b in diary.backups() if b.kind == "session")
    diary.restore_backup(backup)
    assert diary.db is db  # same object: nothing holds a closed database
    assert [e.mood for e in service.entries()] == [2]
    service.create_entry(CheckIn(mood=7))  # and it still saves
    diary.lock()
    again = OpenDiary.unlock(path, passphrase=STRONG)
    assert sorted(e.mood for e in MoodService(again.db).entries()) == [2, 7]
    again.lock()


# --------------------------------------------------------------------------- read-only


def test_read_only_open_never_writes(data_dir: Path) -> None:
    path = data_dir / "vault.companion"
    diary, _ = OpenDiary.create(path, STRONG)
    diary.lock()
    before = path.read_bytes()
    ro = OpenDiary.unlock(path, passphrase=STRONG, read_only=True)
    MoodService(ro.db).create_entry(CheckIn(mood=3))
    ro.lock()
    assert path.read_bytes() == before


# --------------------------------------------------------------------------- every row


def _corrupt_first_time(db: object, value: str) -> None:
    conn: sqlite3.Connection = db.raw_connection  # type: ignore[attr-defined]
    conn.execute("UPDATE mood_entries SET occurred_at = ? WHERE rowid = 1", (value,))
    conn.commit()


def test_check_rows_finds_a_malformed_value_without_quoting_it() -> None:
    db = fresh_db()
    svc = MoodService(db)
    for mood in (3, 5, 7):
        svc.create_entry(CheckIn(mood=mood, note="private words"))
    good = check_rows(db)
    assert good.ok and good.rows >= 3 and good.tables > 5
    _corrupt_first_time(db, "ZQXCRASH my private note text")
    bad = check_rows(db)
    assert not bad.ok
    assert bad.problems[("mood_entries", "occurred_at")] == 1
    text = " ".join(bad.describe())
    assert "ZQXCRASH" not in text and "mood_entries" in text


def test_check_rows_finds_wrong_types_and_dangling_references() -> None:
    db = fresh_db()
    MoodService(db).create_entry(CheckIn(mood=3))
    conn = db.raw_connection
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE mood_entries SET utc_offset_minutes = 'sixty'")
    conn.execute(
        "INSERT INTO entry_tags (entry_id, tag_id) VALUES ('no-such-entry', 'no-such-tag')"
    )
    conn.commit()
    bad = check_rows(db)
    assert bad.problems[("mood_entries", "utc_offset_minutes")] == 1
    assert bad.problems[("entry_tags", "foreign key")] >= 1


# --------------------------------------------------------------------------- local days


@pytest.mark.parametrize("hours", [14, 9, -10, -12])  # far east (Kiritimati, Tokyo), far west
def test_export_range_is_by_the_local_day_the_person_saw(hours: int) -> None:
    zone = timezone(timedelta(hours=hours))
    db = fresh_db()
    svc = MoodService(db)
    days = [date(2026, 3, d) for d in (9, 10, 11, 12)]
    for day in days:
        # 00:30 and 23:30 local on each day: UTC puts one of them on the neighbouring day
        for hh, mm in ((0, 30), (23, 30)):
            svc.create_entry(
                CheckIn(mood=day.day % 10, at=datetime(*day.timetuple()[:3], hh, mm, tzinfo=zone))
            )
    doc = portable.export_document(db, start=days[1], end=days[2])
    rows = doc["tables"]["mood_entries"]
    local_days = sorted(
        (
            datetime.fromisoformat(r["occurred_at"].replace("Z", "+00:00"))
            + timedelta(minutes=r["utc_offset_minutes"])
        ).date()
        for r in rows
    )
    # both check-ins of the --from day and of the --to day, nothing from the days around
    assert local_days == [days[1], days[1], days[2], days[2]]
