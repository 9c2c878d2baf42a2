"""The words a localized Daylio export uses: month and weekday names, default mood names.

Daylio writes the ``date`` and ``weekday`` columns and the names of its five default moods in
the language the app was set to (custom mood names are written as the person typed them). The
importer uses the weekday names to tell the language, the month names to read the old layout's
dates (``7 września``, ``22. Juni``, ``June 22``), and the mood names so that a diary kept with
Daylio's defaults needs no mapping.

Sources for the default mood names (level 5 "rad" … level 1 "awful"):

- English ``rad, good, meh, bad, awful``: Daylio's own help pages and every public parser
  (e.g. MichaelCurrin/daylio-csv-parser, staticf0x/daylio-parser).
- German ``super, gut, ok, schlecht, lausig``: the analysis of a real German export in a public
  Daylio-importer project ("Deutsche Standardnamen Super, Gut, Ok, Schlecht, Lausig (Stufe 5 bis
  1)"), and a second project's enum ``SUPER_GUT, GUT, OKAY, SCHLECHT, LAUSIG``.
- Polish ``super`` … ``fatalnie`` and Portuguese ``incrível`` … ``horrível``: the end points as
  quoted by reviews of the app (antyweb.pl; a Portuguese blog review, 2017).
- The other names below are the app's translations as we know them but could not confirm in a
  public source; a name that does not match simply asks the person for a number, and the
  preview always shows which number each name became. Several spellings per level are listed
  where translations changed between versions.

A word that appears in two languages always stands for the same level here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from companion.core.mood.vocabulary import fold
from companion.i18n import N_

#: Daylio's five levels on Companion's 0–10 mood scale: rad 9, good 7, meh 5, bad 3, awful 1.
#: Evenly spread around the middle (5, "neither good nor bad"); the ends 0 and 10 ("as low /
#: as good as it gets") are left out because a five-point answer cannot say that much.
LEVEL_VALUES: Final[Mapping[int, int]] = {5: 9, 4: 7, 3: 5, 2: 3, 1: 1}


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in English (marked for translation), for messages
    weekdays: tuple[str, ...]  # Monday first; extra spellings after the seven
    #: month number → the ways the month is written in a date (nominative, genitive, short)
    months: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    #: level (5 best … 1 worst) → default mood names
    moods: Mapping[int, tuple[str, ...]] = field(default_factory=dict)


LANGUAGES: Final[tuple[Language, ...]] = (
    Language(
        "en",
        N_("English"),
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        {
            1: ("january", "jan"),
            2: ("february", "feb"),
            3: ("march", "mar"),
            4: ("april", "apr"),
            5: ("may",),
            6: ("june", "jun"),
            7: ("july", "jul"),
            8: ("august", "aug"),
            9: ("september", "sep", "sept"),
            10: ("october", "oct"),
            11: ("november", "nov"),
            12: ("december", "dec"),
        },
        {5: ("rad",), 4: ("good",), 3: ("meh",), 2: ("bad",), 1: ("awful",)},
    ),
    Language(
        "de",
        N_("German"),
        (
            "montag",
            "dienstag",
            "mittwoch",
            "donnerstag",
            "freitag",
            "samstag",
            "sonntag",
            "sonnabend",
        ),
        {
            1: ("januar", "jänner", "jan", "jän"),
            2: ("februar", "feber", "feb"),
            3: ("märz", "mär", "mrz"),
            4: ("april", "apr"),
            5: ("mai",),
            6: ("juni", "jun"),
            7: ("juli", "jul"),
            8: ("august", "aug"),
            9: ("september", "sep", "sept"),
            10: ("oktober", "okt"),
            11: ("november", "nov"),
            12: ("dezember", "dez"),
        },
        {5: ("super",), 4: ("gut",), 3: ("ok", "okay"), 2: ("schlecht",), 1: ("lausig",)},
    ),
    Language(
        "es",
        N_("Spanish"),
        ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
        {
            1: ("enero", "ene"),
            2: ("febrero", "feb"),
            3: ("marzo", "mar"),
            4: ("abril", "abr"),
            5: ("mayo", "may"),
            6: ("junio", "jun"),
            7: ("julio", "jul"),
            8: ("agosto", "ago"),
            9: ("septiembre", "setiembre", "sep", "sept", "set"),
            10: ("octubre", "oct"),
            11: ("noviembre", "nov"),
            12: ("diciembre", "dic"),
        },
        {
            5: ("genial", "radiante"),
            4: ("bien",),
            3: ("normal", "regular", "más o menos"),
            2: ("mal",),
            1: ("fatal", "horrible", "terrible"),
        },
    ),
    Language(
        "fr",
        N_("French"),
        ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        {
            1: ("janvier", "janv"),
            2: ("février", "févr", "fév"),
            3: ("mars",),
            4: ("avril", "avr"),
            5: ("mai",),
            6: ("juin",),
            7: ("juillet", "juil"),
            8: ("août",),
            9: ("septembre", "sept"),
            10: ("octobre", "oct"),
            11: ("novembre", "nov"),
            12: ("décembre", "déc"),
        },
        {
            5: ("super", "génial"),
            4: ("bien",),
            3: ("bof", "moyen"),
            2: ("mal", "mauvais"),
            1: ("horrible", "affreux"),
        },
    ),
    Language(
        "pt",
        N_("Portuguese"),
        (
            "segunda-feira",
            "terça-feira",
            "quarta-feira",
            "quinta-feira",
            "sexta-feira",
            "sábado",
            "domingo",
            "segunda",
            "terça",
            "quarta",
            "quinta",
            "sexta",
        ),
        {
            1: ("janeiro", "jan"),
            2: ("fevereiro", "fev"),
            3: ("março", "mar"),
            4: ("abril", "abr"),
            5: ("maio", "mai"),
            6: ("junho", "jun"),
            7: ("julho", "jul"),
            8: ("agosto", "ago"),
            9: ("setembro", "set"),
            10: ("outubro", "out"),
            11: ("novembro", "nov"),
            12: ("dezembro", "dez"),
        },
        {
            5: ("incrível", "radiante"),
            4: ("bem",),
            3: ("mais ou menos", "normal"),
            2: ("mal",),
            1: ("horrível", "péssimo"),
        },
    ),
    Language(
        "pl",
        N_("Polish"),
        ("poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"),
        {
            1: ("styczeń", "stycznia", "sty"),
            2: ("luty", "lutego", "lut"),
            3: ("marzec", "marca", "mar"),
            4: ("kwiecień", "kwietnia", "kwi"),
            5: ("maj", "maja"),
            6: ("czerwiec", "czerwca", "cze"),
            7: ("lipiec", "lipca", "lip"),
            8: ("sierpień", "sierpnia", "sie"),
            9: ("wrzesień", "września", "wrz"),
            10: ("październik", "października", "paź"),
            11: ("listopad", "listopada", "lis"),
            12: ("grudzień", "grudnia", "gru"),
        },
        {
            5: ("super",),
            4: ("dobrze",),
            3: ("tak sobie", "w porządku"),
            2: ("źle",),
            1: ("fatalnie", "okropnie"),
        },
    ),
    Language(
        "it",
        N_("Italian"),
        ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
        {
            1: ("gennaio", "gen"),
            2: ("febbraio", "feb"),
            3: ("marzo", "mar"),
            4: ("aprile", "apr"),
            5: ("maggio", "mag"),
            6: ("giugno", "giu"),
            7: ("luglio", "lug"),
            8: ("agosto", "ago"),
            9: ("settembre", "set"),
            10: ("ottobre", "ott"),
            11: ("novembre", "nov"),
            12: ("dicembre", "dic"),
        },
        {
            5: ("fantastico", "super", "ottimo"),
            4: ("bene",),
            3: ("così così", "meh"),
            2: ("male",),
            1: ("malissimo", "orribile", "terribile"),
        },
    ),
    Language(
        "ru",
        N_("Russian"),
        ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"),
        {
            1: ("январь", "января", "янв"),
            2: ("февраль", "февраля", "февр", "фев"),
            3: ("март", "марта", "мар"),
            4: ("апрель", "апреля", "апр"),
            5: ("май", "мая"),
            6: ("июнь", "июня", "июн"),
            7: ("июль", "июля", "июл"),
            8: ("август", "августа", "авг"),
            9: ("сентябрь", "сентября", "сент", "сен"),
            10: ("октябрь", "октября", "окт"),
            11: ("ноябрь", "ноября", "нояб", "ноя"),
            12: ("декабрь", "декабря", "дек"),
        },
        {
            5: ("супер", "отлично"),
            4: ("хорошо",),
            3: ("так себе", "нормально"),
            2: ("плохо",),
            1: ("ужасно",),
        },
    ),
    # Recognised by their weekday names only, so a message can name the language; their
    # default mood names are not known, so the person gives each mood a number.
    Language(
        "nl",
        N_("Dutch"),
        ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    ),
    Language(
        "cs", N_("Czech"), ("pondělí", "úterý", "středa", "čtvrtek", "pátek", "sobota", "neděle")
    ),
    Language(
        "sk",
        N_("Slovak"),
        ("pondelok", "utorok", "streda", "štvrtok", "piatok", "sobota", "nedeľa"),
    ),
    Language(
        "uk",
        N_("Ukrainian"),
        ("понеділок", "вівторок", "середа", "четвер", "п'ятниця", "п’ятниця", "субота", "неділя"),
    ),
    Language(
        "sv", N_("Swedish"), ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
    ),
    Language(
        "da",
        N_("Danish or Norwegian"),
        ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    ),
    Language(
        "fi",
        N_("Finnish"),
        ("maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai"),
    ),
    Language(
        "tr",
        N_("Turkish"),
        ("pazartesi", "salı", "çarşamba", "perşembe", "cuma", "cumartesi", "pazar"),
    ),
    Language(
        "hu",
        N_("Hungarian"),
        ("hétfő", "kedd", "szerda", "csütörtök", "péntek", "szombat", "vasárnap"),
    ),
    Language(
        "ro",
        N_("Romanian"),
        ("luni", "marți", "marţi", "miercuri", "joi", "vineri", "sâmbătă", "duminică"),
    ),
    Language(
        "el",
        N_("Greek"),
        ("δευτέρα", "τρίτη", "τετάρτη", "πέμπτη", "παρασκευή", "σάββατο", "κυριακή"),
    ),
    Language(
        "ja", N_("Japanese"), ("月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日", "日曜日")
    ),
    Language(
        "zh",
        N_("Chinese"),
        ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日", "星期天"),
    ),
    Language(
        "ko", N_("Korean"), ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일")
    ),
)

BY_CODE: Final[Mapping[str, Language]] = {lang.code: lang for lang in LANGUAGES}


def mood_defaults(languages: tuple[Language, ...]) -> dict[str, int]:
    """Folded default mood name → Companion's number, for these languages."""
    out: dict[str, int] = {}
    for lang in languages:
        for level, names in lang.moods.items():
            for name in names:
                out[fold(name)] = LEVEL_VALUES[level]
    return out


def month_words(languages: tuple[Language, ...]) -> dict[str, int]:
    out: dict[str, int] = {}
    for lang in languages:
        for month, words in lang.months.items():
            for word in words:
                out[fold(word)] = month
    return out


_WEEKDAY_INDEX: Final[dict[str, set[str]]] = {}
for _lang in LANGUAGES:
    for _word in _lang.weekdays:
        _WEEKDAY_INDEX.setdefault(fold(_word), set()).add(_lang.code)


def weekday_languages(word: str) -> set[str]:
    """The languages in which ``word`` is a weekday name."""
    return _WEEKDAY_INDEX.get(fold(" ".join(word.strip().strip(".,").split())), set())


def all_languages() -> tuple[Language, ...]:
    return tuple(lang for lang in LANGUAGES if lang.moods)
