"""Numbers for the mood charts and insights (no drawing): plain dataclasses, each with counts.

Choices, so the UI and the clinician summary can say what a number means:

- **Days are local days** (the day on the person's clock at check-in, see ``mood.Entry``).
  Days without a check-in are gaps, never zeros: series skip them, the heatmap marks them
  empty.
- **Per-day values.** Mood, anxiety, energy, irritability: mean, min and max of that day's
  check-ins. Sleep: the latest check-in of the day that recorded it (sleep describes the night
  before). Exercise, time outdoors, alcohol: the day's sum. Yes/no answers: "yes" if any
  check-in said yes, "no" if all that answered said no. Trackers: yes/no as above; scales and
  numbers as the day's mean.
- **Rolling mean**: for each calendar day from the first to the last logged day, the mean of
  the *daily means* over the days logged in the trailing 7-day window (that day and the six
  before). Daily means first, so a day with three check-ins weighs no more than a day with
  one; "over the days logged" rather than dividing by 7, so gaps are not read as zeros. Each
  point carries ``n_days``; a window with no logged day gives no point (the line breaks).
- **Weekday pattern**: mean of daily means per weekday (Monday first), with days and
  check-ins counted. **Time of day** is a property of a check-in, not of a day, so it averages
  check-ins by their local hour: night 00–05, morning 06–11, afternoon 12–17, evening 18–23.
- **Insights** compare mean *daily* mood between two groups of days with Welch's t interval
  (95%, t distribution computed here, no SciPy), widened for day-to-day persistence and judged
  together with a false-discovery-rate rule (see the notes above ``find_insights``). Splits:
  sleep ≥ 7 h vs < 6 h (6–7 h left out so the groups are distinct); exercise, time outdoors,
  alcohol: any vs none (days where it was recorded; not recorded is unknown, not "none"); each
  tag: days with vs days without (among logged days); each yes/no tracker: yes days vs no
  days; each scale or number tracker: days above its median vs days at or below. Nothing is
  returned unless the two groups hold at least :data:`MIN_DAYS` days together and
  :data:`MIN_DAYS_PER_SIDE` each, and the spread is not zero. The wording describes a pattern
  and never a cause.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Final, Literal

from companion.core.mood.entries import ROLLING_WINDOW_DAYS as ROLLING_WINDOW_DAYS  # re-exported
from companion.core.mood.entries import DailyPoint, Entry, group_by_day
from companion.core.mood.service import MoodService
from companion.core.mood.tags import TagInfo
from companion.core.mood.trackers import TrackerInfo
from companion.core.mood.vocabulary import TRAUMA_SIGNS, TagKind, TrackerKind, trauma_question
from companion.i18n import N_, _

Metric = Literal["mood", "anxiety", "energy", "irritability"]
METRICS: Final[tuple[Metric, ...]] = ("mood", "anxiety", "energy", "irritability")
Topic = Literal["sleep", "exercise", "outdoors", "alcohol", "tag", "tracker"]

MIN_DAYS: Final = 14
MIN_DAYS_PER_SIDE: Final = 3
SHORT_SLEEP_HOURS: Final = 6.0
ENOUGH_SLEEP_HOURS: Final = 7.0

#: Monday first; lower case, each is its bucket's key; translated as the bucket's label
WEEKDAYS: Final = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
#: (key, label, first hour, last hour) in local time
TIMES_OF_DAY: Final = (
    ("night", N_("Night (midnight–6 a.m.)"), 0, 5),
    ("morning", N_("Morning (6 a.m.–noon)"), 6, 11),
    ("afternoon", N_("Afternoon (noon–6 p.m.)"), 12, 17),
    ("evening", N_("Evening (6 p.m.–midnight)"), 18, 23),
)


# -- per-day summaries -----------------------------------------------------------------------


@dataclass(frozen=True)
class DayRecord:
    """One local day's check-ins boiled down (see the module docstring for the rules)."""

    day: date
    n_entries: int
    ratings: Mapping[str, tuple[int, ...]]  # metric → that day's values, in time order
    sleep_hours: float | None
    sleep_quality: int | None
    exercise_minutes: int | None
    outdoors_minutes: int | None
    alcohol_units: float | None
    substances_used: bool | None
    signs: Mapping[str, bool | None]  # TRAUMA_SIGNS field → any yes / all no / unanswered
    tag_ids: frozenset[str]
    trackers: Mapping[str, float]  # tracker id → day value (yes/no: 1.0 if any yes)
    mood_mean: float  # mood is required, so every logged day has one

    def mean(self, metric: Metric) -> float | None:
        values = self.ratings.get(metric)
        return sum(values) / len(values) if values else None


def summarise_days(
    entries: Iterable[Entry], trackers: Sequence[TrackerInfo] = ()
) -> list[DayRecord]:
    """Per-day summaries, oldest first."""
    yes_no = {t.id for t in trackers if t.kind is TrackerKind.YES_NO}
    out = []
    for group in group_by_day(entries):
        ratings: dict[str, list[int]] = {m: [] for m in METRICS}
        tracked: dict[str, list[float]] = defaultdict(list)
        totals: dict[str, float | None] = dict.fromkeys(_AMOUNTS)
        answers: dict[str, bool | None] = dict.fromkeys(_YES_NO)
        sleep_hours: float | None = None
        sleep_quality: int | None = None
        tag_ids: set[str] = set()
        for e in group.entries:  # in time order, so the latest sleep values win
            for m in METRICS:
                value = getattr(e, m)
                if value is not None:
                    ratings[m].append(value)
            for name in _AMOUNTS:
                amount = getattr(e, name)
                if amount is not None:
                    totals[name] = (totals[name] or 0) + amount
            for name in _YES_NO:
                answer = getattr(e, name)
                if answer is not None:
                    answers[name] = bool(answers[name]) or answer
            if e.sleep_hours is not None:
                sleep_hours = e.sleep_hours
            if e.sleep_quality is not None:
                sleep_quality = e.sleep_quality
            tag_ids.update(e.tag_ids)
            for tracker_id, tracker_value in e.tracker_values.items():
                tracked[tracker_id].append(tracker_value)
        exercise, outdoors = totals["exercise_minutes"], totals["outdoors_minutes"]
        out.append(
            DayRecord(
                day=group.day,
                n_entries=len(group.entries),
                ratings={m: tuple(v) for m, v in ratings.items()},
                sleep_hours=sleep_hours,
                sleep_quality=sleep_quality,
                exercise_minutes=None if exercise is None else int(exercise),
                outdoors_minutes=None if outdoors is None else int(outdoors),
                alcohol_units=totals["alcohol_units"],
                substances_used=answers["substances_used"],
                signs={name: answers[name] for name in TRAUMA_SIGNS},
                tag_ids=frozenset(tag_ids),
                trackers={
                    tid: (max(vals) if tid in yes_no else math.fsum(vals) / len(vals))
                    for tid, vals in tracked.items()
                },
                mood_mean=sum(ratings["mood"]) / len(ratings["mood"]),
            )
        )
    return out


_AMOUNTS: Final = ("exercise_minutes", "outdoors_minutes", "alcohol_units")
_YES_NO: Final = ("substances_used", *TRAUMA_SIGNS)


# -- chart series ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RollingPoint:
    day: date
    mean: float
    n_days: int  # logged days inside the window


@dataclass(frozen=True)
class SleepPoint:
    day: date  # the day after the night described
    hours: float | None
    quality: int | None


@dataclass(frozen=True)
class HeatCell:
    day: date
    mood_mean: float | None  # None: not logged (a gap, not a zero)
    n_entries: int


@dataclass(frozen=True)
class PatternBucket:
    key: str
    label: str
    mean: float | None
    n_days: int
    n_entries: int


@dataclass(frozen=True)
class SignCount:
    """How often a trauma-related experience was reported, out of the days it was asked."""

    key: str
    label: str
    yes_days: int
    answered_days: int


def daily_series(days: Sequence[DayRecord], metric: Metric = "mood") -> list[DailyPoint]:
    out = []
    for record in days:
        values = record.ratings.get(metric)
        if values:
            out.append(
                DailyPoint(
                    record.day, sum(values) / len(values), min(values), max(values), len(values)
                )
            )
    return out


def rolling_mean(
    points: Sequence[DailyPoint], window: int = ROLLING_WINDOW_DAYS
) -> list[RollingPoint]:
    """Trailing mean of daily means over the logged days in the window (see module doc)."""
    if window < 1:
        raise ValueError("the window must be at least one day")
    if not points:
        return []
    by_ordinal = {p.day.toordinal(): p.mean for p in points}
    first, last = min(by_ordinal), max(by_ordinal)
    out = []
    total, count = 0.0, 0
    stop = last + 1
    # (excluded from mutation testing: starting earlier only adds empty windows, no point)
    for ordinal in range(first, stop):  # pragma: no mutate
        if ordinal in by_ordinal:
            total += by_ordinal[ordinal]
            count += 1
        leaving = ordinal - window
        if leaving in by_ordinal:
            total -= by_ordinal[leaving]
            count -= 1
        if count:
            out.append(RollingPoint(date.fromordinal(ordinal), total / count, count))
        else:
            total = 0.0  # an empty window: restart the sum (no rounding carried over)
    return out


def sleep_series(days: Sequence[DayRecord]) -> list[SleepPoint]:
    return [
        SleepPoint(d.day, d.sleep_hours, d.sleep_quality)
        for d in days
        if d.sleep_hours is not None or d.sleep_quality is not None
    ]


def calendar_heatmap(
    days: Sequence[DayRecord], start: date | None = None, end: date | None = None
) -> list[HeatCell]:
    """Every calendar day from ``start`` to ``end`` (default: first to last logged day)."""
    if not days and (start is None or end is None):
        return []
    by_day = {d.day: d for d in days}
    first = start if start is not None else min(by_day)
    last = end if end is not None else max(by_day)
    out = []
    day = first
    while day <= last:
        record = by_day.get(day)
        if record is None:
            out.append(HeatCell(day, None, 0))
        else:
            out.append(HeatCell(day, record.mood_mean, record.n_entries))
        day += timedelta(days=1)
    return out


def weekday_pattern(days: Sequence[DayRecord], metric: Metric = "mood") -> list[PatternBucket]:
    """Mean of daily means for each weekday, Monday first."""
    sums = [0.0] * len(WEEKDAYS)
    n_days = [0] * len(WEEKDAYS)
    n_entries = [0] * len(WEEKDAYS)
    for record in days:
        mean = record.mean(metric)
        if mean is None:
            continue
        weekday = record.day.weekday()
        sums[weekday] += mean
        n_days[weekday] += 1
        n_entries[weekday] += len(record.ratings[metric])
    return [
        PatternBucket(
            WEEKDAYS[i].lower(),
            _(WEEKDAYS[i]),
            sums[i] / n_days[i] if n_days[i] else None,
            n_days[i],
            n_entries[i],
        )
        for i in range(len(WEEKDAYS))
    ]


def time_of_day(hour: int) -> str:
    for key, _label, first, last in TIMES_OF_DAY:
        if first <= hour <= last:
            return key
    raise ValueError(f"not an hour: {hour}")


def time_of_day_pattern(entries: Iterable[Entry], metric: Metric = "mood") -> list[PatternBucket]:
    """Mean over check-ins by local time of day (night, morning, afternoon, evening)."""
    values: dict[str, list[int]] = defaultdict(list)
    days: dict[str, set[date]] = defaultdict(set)
    for entry in entries:
        value = getattr(entry, metric)
        if value is None:
            continue
        local = entry.local_time
        key = time_of_day(local.hour)
        values[key].append(value)
        days[key].add(local.date())
    return [
        PatternBucket(
            key,
            _(label),
            sum(values[key]) / len(values[key]) if values[key] else None,
            len(days[key]),
            len(values[key]),
        )
        for key, label, _first, _last in TIMES_OF_DAY
    ]


def sign_counts(days: Sequence[DayRecord]) -> list[SignCount]:
    out = []
    for key in TRAUMA_SIGNS:
        answers = [d.signs.get(key) for d in days if d.signs.get(key) is not None]
        out.append(SignCount(key, trauma_question(key), sum(1 for a in answers if a), len(answers)))
    return out


@dataclass(frozen=True)
class Charts:
    """Everything the diary charts draw, for one period."""

    start: date | None
    end: date | None
    n_entries: int
    n_days: int
    daily: Mapping[Metric, list[DailyPoint]]
    rolling: Mapping[Metric, list[RollingPoint]]
    sleep: list[SleepPoint]
    heatmap: list[HeatCell]
    weekday: Mapping[Metric, list[PatternBucket]]
    time_of_day: Mapping[Metric, list[PatternBucket]]
    signs: list[SignCount]


def build_charts(
    entries: Sequence[Entry],
    days: Sequence[DayRecord],
    start: date | None = None,
    end: date | None = None,
) -> Charts:
    daily = {m: daily_series(days, m) for m in METRICS}
    return Charts(
        start=start,
        end=end,
        n_entries=len(entries),
        n_days=len(days),
        daily=daily,
        rolling={m: rolling_mean(daily[m]) for m in METRICS},
        sleep=sleep_series(days),
        heatmap=calendar_heatmap(days, start, end),
        weekday={m: weekday_pattern(days, m) for m in METRICS},
        time_of_day={m: time_of_day_pattern(entries, m) for m in METRICS},
        signs=sign_counts(days),
    )


# -- the t distribution ----------------------------------------------------------------------


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Lentz's method for the continued fraction of the incomplete beta function."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = tiny if abs(d) < tiny else d
    d = 1.0 / d
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1.0 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1.0 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def regularized_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularized incomplete beta function."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t with ``df`` degrees of freedom (df may be fractional)."""
    if df <= 0 or math.isnan(df):
        raise ValueError("degrees of freedom must be positive")
    if t == 0:
        return 0.5
    t2 = t * t
    y = t2 / (df + t2)
    if y < 0.5:
        # Near the centre use P(|T| ≤ |t|) = I_y(1/2, df/2) with y computed directly: going
        # through x = df / (df + t²) ≈ 1 loses digits in 1 − x (about 1e-10 for df in the
        # thousands).
        half = 0.5 * regularized_beta(0.5, df / 2.0, y)
        return 0.5 + half if t > 0 else 0.5 - half
    tail = 0.5 * regularized_beta(df / 2.0, 0.5, df / (df + t2))
    return 1.0 - tail if t > 0 else tail


_NORMAL = statistics.NormalDist()


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (df may be fractional).

    Newton's method on the exact CDF (incomplete beta), accurate to about 1e-12; for df above 1e5 a
    Cornish–Fisher expansion around the normal quantile, whose error there is below 1e-13.
    """
    if not 0.0 < p < 1.0:
        raise ValueError("p must be strictly between 0 and 1")
    if df <= 0 or math.isnan(df):
        raise ValueError("degrees of freedom must be positive")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if df > 1e5:
        z = _NORMAL.inv_cdf(p)
        return (
            z
            + (z**3 + z) / (4 * df)
            + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
            + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
        )
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        low, high = high, high * 2.0
        if high > 1e300:  # pragma: no cover - p indistinguishable from 1
            return math.inf
    # Newton's method on the exact CDF, kept inside the bracket (bisecting when a step leaves it).
    log_norm = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    guess = min(max(_NORMAL.inv_cdf(p), low), high)
    for _step in range(200):
        error = t_cdf(guess, df) - p
        if error < 0:
            low = guess
        else:
            high = guess
        density = math.exp(log_norm - (df + 1) / 2 * math.log1p(guess * guess / df))
        step = guess - error / density if density > 0 else (low + high) / 2
        if not low < step < high:
            step = (low + high) / 2
        if abs(step - guess) <= 1e-14 * max(1.0, abs(step)):
            return step
        guess = step
    return guess  # pragma: no cover - converges long before


@dataclass(frozen=True)
class Welch:
    """Mean of ``a`` minus mean of ``b`` with a Welch–Satterthwaite confidence interval (the
    quantile is worked out on first use: deciding needs only the p-value)."""

    n_a: int
    n_b: int
    mean_a: float
    mean_b: float
    difference: float
    standard_error: float
    df: float
    level: float

    @cached_property
    def t_critical(self) -> float:
        return t_quantile(0.5 + self.level / 2.0, self.df)

    @property
    def ci_low(self) -> float:
        return self.difference - self.t_critical * self.standard_error

    @property
    def ci_high(self) -> float:
        return self.difference + self.t_critical * self.standard_error


def welch(a: Sequence[float], b: Sequence[float], level: float = 0.95) -> Welch | None:
    """None when either group has fewer than two values or both have no spread."""
    n_a, n_b = len(a), len(b)
    if n_a < 2 or n_b < 2:
        return None
    mean_a, mean_b = math.fsum(a) / n_a, math.fsum(b) / n_b
    var_a = math.fsum((x - mean_a) ** 2 for x in a) / (n_a - 1)
    var_b = math.fsum((x - mean_b) ** 2 for x in b) / (n_b - 1)
    q_a, q_b = var_a / n_a, var_b / n_b
    se2 = q_a + q_b
    if se2 <= 0.0:
        return None
    df = se2**2 / (q_a**2 / (n_a - 1) + q_b**2 / (n_b - 1))
    return Welch(n_a, n_b, mean_a, mean_b, mean_a - mean_b, math.sqrt(se2), df, level)


# -- insights --------------------------------------------------------------------------------
#
# Each period runs many comparisons at once (4 fixed ones plus one per tag and tracker, often
# 25-30), and daily mood and habits carry over from one day to the next. Unadjusted 95%
# intervals over independent days would show a "clear" pattern by chance in most diaries
# (clinical audit, issue 19). So:
#
# 1. Day-to-day persistence widens the interval. Bartlett's result for two autocorrelated
#    series: the variance of their association is inflated by (1 + r_y r_x) / (1 - r_y r_x),
#    r_y and r_x the lag-1 autocorrelations of daily mood and of the grouping (1 on days in the
#    first group, 0 in the second), each measured over pairs of consecutive logged days and
#    corrected for its small-sample bias (Kendall: r + (1 + 4r)/n). The widening applies when
#    both are evidently positive (above 1.645/sqrt(pairs)); it never narrows an interval. The
#    standard error is multiplied by the square root of the factor and the degrees of freedom
#    divided by it (an effective number of days).
# 2. The false discovery rate is controlled over the comparisons actually run, with
#    Benjamini-Hochberg at FALSE_DISCOVERY_RATE. Only comparisons with at least
#    MIN_DAYS_FOR_CLEAR days on each side form the family (Welch's tail probabilities are
#    unreliable below that: independent filtering on group size, which ignores the outcome);
#    the others are shown but never called clear.
# 3. "Clear" means the adjusted value is within the rate and the interval excludes zero.
#    Everything is ranked by strength of evidence (p-value), not by the size of a difference,
#    which would favour the noisiest comparisons (the winner's curse).
#
# A simulation test (tests/core/test_insight_simulation.py) checks the whole rule: diaries
# whose tags are unrelated to mood show a spurious clear insight rarely, with and without
# persistence, and a real one-point difference is still found in at least half of them.

#: Benjamini-Hochberg level over one period's comparisons
FALSE_DISCOVERY_RATE: Final = 0.08
#: days on each side before a comparison can be called clear
MIN_DAYS_FOR_CLEAR: Final = 10
#: consecutive-day pairs needed before persistence is estimated at all
MIN_PAIRS_FOR_PERSISTENCE: Final = 10


def _num(value: float) -> str:
    """One decimal; two when one would show a bound that is not zero as "0.0"."""
    text = f"{value:.1f}"
    if text in ("-0.0", "0.0"):
        text = f"{value:.2f}"
        if text in ("-0.00", "0.00"):
            return "0.0"
    return text.replace("-", "−")


def _lag1(values: Sequence[float], follows: Sequence[bool]) -> tuple[float, int]:
    """Lag-1 autocorrelation over the pairs (i, i + 1) with ``follows[i]`` (the next value is
    the next calendar day), bias-corrected for positive r (Kendall: + (1 + 4r) / pairs)."""
    n = len(values)
    if n < 3:
        return 0.0, 0
    mean = math.fsum(values) / n
    centred = [v - mean for v in values]
    denominator = math.fsum(c * c for c in centred) / n
    if denominator <= 0.0:
        return 0.0, 0
    products = [centred[i] * centred[i + 1] for i in range(n - 1) if follows[i]]
    pairs = len(products)
    if pairs < MIN_PAIRS_FOR_PERSISTENCE:
        return 0.0, pairs
    r = math.fsum(products) / pairs / denominator
    if r > 0:
        r = min(r + (1.0 + 4.0 * r) / pairs, 0.95)
    return r, pairs


def _consecutive(days: Sequence[date]) -> list[bool]:
    ordinals = [d.toordinal() for d in days]
    return [ordinals[i + 1] - ordinals[i] == 1 for i in range(len(ordinals) - 1)]


def lag1_autocorrelation(series: Mapping[date, float]) -> tuple[float, int]:
    """Lag-1 autocorrelation over pairs of consecutive calendar days that are both present,
    bias-corrected; returns (r, number of pairs). Fewer than MIN_PAIRS_FOR_PERSISTENCE pairs
    give r = 0 (too few to tell)."""
    items = sorted(series.items())
    return _lag1([v for _, v in items], _consecutive([d for d, _ in items]))


def persistence_inflation(mood: tuple[float, int], grouping: tuple[float, int]) -> float:
    """The variance factor (≥ 1) from the lag-1 autocorrelations of daily mood and of the
    grouping over a comparison's days: (1 + r r') / (1 − r r') when both are evidently
    positive, else 1."""
    (r_mood, pairs), (r_group, _pairs) = mood, grouping
    if pairs < MIN_PAIRS_FOR_PERSISTENCE:
        return 1.0
    evident = 1.645 / math.sqrt(pairs)
    if r_mood <= evident or r_group <= evident:
        return 1.0
    product = r_mood * r_group
    return (1.0 + product) / (1.0 - product)


@dataclass(frozen=True)
class Insight:
    """Mean daily mood on one group of days compared with another, with how strong the
    evidence is once persistence and the number of comparisons are allowed for."""

    key: str  # "sleep", "exercise", "outdoors", "alcohol", "tag:<id>", "tracker:<id>"
    topic: Topic
    subject_id: str | None  # the tag or tracker id
    with_label: str  # completes "On days …", e.g. "with “Walk”"
    without_label: str  # e.g. "without it"
    stats: Welch = field(repr=False)
    #: variance factor for day-to-day persistence (1: none allowed for)
    inflation: float = 1.0
    #: Benjamini-Hochberg adjusted p-value; None when too few days to be judged
    q_value: float | None = None

    @property
    def n_with(self) -> int:
        return self.stats.n_a

    @property
    def n_without(self) -> int:
        return self.stats.n_b

    @property
    def difference(self) -> float:
        return self.stats.difference

    @property
    def effective_df(self) -> float:
        return self.stats.df / self.inflation

    @property
    def standard_error(self) -> float:
        return self.stats.standard_error * math.sqrt(self.inflation)

    @property
    def ci_low(self) -> float:
        return self.difference - self._half_width

    @property
    def ci_high(self) -> float:
        return self.difference + self._half_width

    @cached_property
    def _half_width(self) -> float:
        if self.inflation == 1.0:
            return self.stats.t_critical * self.stats.standard_error
        return t_quantile(0.5 + self.stats.level / 2.0, self.effective_df) * self.standard_error

    @cached_property
    def p_value(self) -> float:
        """Two-sided, after widening for persistence (not adjusted for multiplicity)."""
        t = abs(self.difference) / self.standard_error
        return min(1.0, 2.0 * (1.0 - t_cdf(t, self.effective_df)))

    @property
    def interval_includes_zero(self) -> bool:
        """The widened interval reaches zero (the same as p ≥ 1 − level, without a quantile)."""
        return self.p_value >= 1.0 - self.stats.level

    @property
    def judged(self) -> bool:
        """Enough days on each side to be called clear at all."""
        return self.q_value is not None

    @property
    def clear(self) -> bool:
        return (
            self.q_value is not None
            and self.q_value <= FALSE_DISCOVERY_RATE
            and not self.interval_includes_zero
        )

    def wording(self) -> str:
        """Short and plain, for a tired reader: the size, the likely range, the counts, and
        (only when it is not clear) why it may be chance. The caveat that a pattern is not a
        cause is said once, above the list, not on every line."""
        size = abs(round(self.difference, 1))
        counts = _("(likely range {low} to {high}; {n_with} vs {n_without} days)").format(
            low=_num(self.ci_low),
            high=_num(self.ci_high),
            n_with=self.n_with,
            n_without=self.n_without,
        )
        if size == 0:
            text = _(
                "On days {with_label}, your mood was about the same as on days "
                "{without_label} {counts}."
            )
        elif self.difference > 0:
            text = _(
                "On days {with_label}, your mood was about {size} points higher than on days "
                "{without_label} {counts}."
            )
        else:
            text = _(
                "On days {with_label}, your mood was about {size} points lower than on days "
                "{without_label} {counts}."
            )
        said = text.format(
            with_label=self.with_label,
            without_label=self.without_label,
            size=f"{size:.1f}",
            counts=counts,
        )
        if self.clear:
            return said
        if self.interval_includes_zero:
            caveat = _("The range includes zero, so this may be chance.")
        elif not self.judged:
            caveat = _("It rests on few days, so it may be chance.")
        else:
            caveat = _(
                "On its own this would look clear, but with this many comparisons a "
                "difference this size can turn up by chance."
            )
        return _("{finding} {caveat}").format(finding=said, caveat=caveat)


@dataclass(frozen=True)
class _Candidate:
    key: str
    topic: Topic
    subject_id: str | None
    with_label: str
    without_label: str
    first: dict[date, float]
    second: dict[date, float]


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Adjusted p-values (q-values) in the input order: reject those ≤ the chosen rate."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        adjusted[i] = min(1.0, running)
    return adjusted


def _assess(candidates: Sequence[_Candidate], min_days: int) -> list[Insight]:
    """Run the comparisons that have enough days; judge them together; strongest first."""
    measured: list[Insight] = []
    known: dict[tuple[date, ...], tuple[list[bool], tuple[float, int]]] = {}
    for c in candidates:
        n_a, n_b = len(c.first), len(c.second)
        if n_a + n_b < min_days or n_a < MIN_DAYS_PER_SIDE or n_b < MIN_DAYS_PER_SIDE:
            continue
        result = welch(list(c.first.values()), list(c.second.values()))
        if result is None:
            continue
        mood = {**c.first, **c.second}
        days = tuple(sorted(mood))
        if days not in known:  # every tag compares the same days: work this out once
            follows = _consecutive(days)
            known[days] = follows, _lag1([mood[d] for d in days], follows)
        follows, mood_persistence = known[days]
        group = _lag1([1.0 if d in c.first else 0.0 for d in days], follows)
        inflation = persistence_inflation(mood_persistence, group)
        measured.append(
            Insight(
                c.key,
                c.topic,
                c.subject_id,
                c.with_label,
                c.without_label,
                result,
                inflation,
            )
        )
    family = [
        i for i, ins in enumerate(measured) if min(ins.n_with, ins.n_without) >= MIN_DAYS_FOR_CLEAR
    ]
    adjusted = benjamini_hochberg([measured[i].p_value for i in family])
    judged = {i: q for i, q in zip(family, adjusted, strict=True)}
    out = [
        Insight(
            ins.key,
            ins.topic,
            ins.subject_id,
            ins.with_label,
            ins.without_label,
            ins.stats,
            ins.inflation,
            judged.get(i),
        )
        for i, ins in enumerate(measured)
    ]
    out.sort(key=lambda ins: (not ins.clear, ins.p_value, ins.key))
    return out


def _any_vs_none(
    days: Sequence[DayRecord], attribute: str
) -> tuple[dict[date, float], dict[date, float]]:
    some: dict[date, float] = {}
    none: dict[date, float] = {}
    for d in days:
        value = getattr(d, attribute)
        if value is None:
            continue
        (some if value > 0 else none)[d.day] = d.mood_mean
    return some, none


def find_insights(
    days: Sequence[DayRecord],
    tags: Sequence[TagInfo] = (),
    trackers: Sequence[TrackerInfo] = (),
    *,
    min_days: int = MIN_DAYS,
) -> list[Insight]:
    """Every comparison that has enough days, judged together: the clear ones first, then
    the rest, each group ordered by strength of evidence (see the notes above)."""
    candidates: list[_Candidate] = []

    enough = {
        d.day: d.mood_mean
        for d in days
        if d.sleep_hours is not None and d.sleep_hours >= ENOUGH_SLEEP_HOURS
    }
    short = {
        d.day: d.mood_mean
        for d in days
        if d.sleep_hours is not None and d.sleep_hours < SHORT_SLEEP_HOURS
    }
    candidates.append(
        _Candidate(
            "sleep",
            "sleep",
            None,
            _("after {hours} or more hours of sleep").format(hours=f"{ENOUGH_SLEEP_HOURS:g}"),
            _("after less than {hours} hours").format(hours=f"{SHORT_SLEEP_HOURS:g}"),
            enough,
            short,
        )
    )
    amounts: tuple[tuple[str, Topic, str], ...] = (
        ("exercise_minutes", "exercise", _("with some exercise")),
        ("outdoors_minutes", "outdoors", _("with some time outdoors")),
        ("alcohol_units", "alcohol", _("with some alcohol")),
    )
    for attribute, topic, with_label in amounts:
        some, none = _any_vs_none(days, attribute)
        candidates.append(_Candidate(topic, topic, None, with_label, _("with none"), some, none))

    used = frozenset().union(*(d.tag_ids for d in days)) if days else frozenset()
    for tag in sorted(tags, key=lambda t: (t.kind != TagKind.ACTIVITY, t.name.casefold())):
        if tag.id not in used:
            continue
        with_tag = {d.day: d.mood_mean for d in days if tag.id in d.tag_ids}
        without = {d.day: d.mood_mean for d in days if tag.id not in d.tag_ids}
        candidates.append(
            _Candidate(
                f"tag:{tag.id}",
                "tag",
                tag.id,
                _("with “{name}”").format(name=tag.name),
                _("without it"),
                with_tag,
                without,
            )
        )

    for tracker in trackers:
        values = [
            (d.day, d.trackers[tracker.id], d.mood_mean) for d in days if tracker.id in d.trackers
        ]
        if not values:
            continue
        key = f"tracker:{tracker.id}"
        if tracker.kind is TrackerKind.YES_NO:
            yes = {day: mood for day, value, mood in values if value >= 0.5}
            no = {day: mood for day, value, mood in values if value < 0.5}
            candidates.append(
                _Candidate(
                    key,
                    "tracker",
                    tracker.id,
                    _("when you answered yes to “{name}”").format(name=tracker.name),
                    _("when you answered no"),
                    yes,
                    no,
                )
            )
        else:
            median = statistics.median(v for _, v, _ in values)
            above = {day: mood for day, value, mood in values if value > median}
            rest = {day: mood for day, value, mood in values if value <= median}
            shown = tracker.format_value(median)
            candidates.append(
                _Candidate(
                    key,
                    "tracker",
                    tracker.id,
                    _("when “{name}” was above {value} (your median)").format(
                        name=tracker.name, value=shown
                    ),
                    _("when it was {value} or less").format(value=shown),
                    above,
                    rest,
                )
            )
    return _assess(candidates, min_days)


# -- façade ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    charts: Charts
    insights: list[Insight]


class MoodStats:
    """Charts and insights for a period, read through a :class:`MoodService`.

    Slow for long histories only in the sense of "a few hundred milliseconds for ten years":
    call it off the GUI thread (``ui/tasks.py``).
    """

    def __init__(self, service: MoodService) -> None:
        self._service = service

    def overview(self, start: date | None = None, end: date | None = None) -> Overview:
        """Charts and insights from one read of the diary."""
        trackers = self._service.trackers()
        entries = self._service.entries(start=start, end=end)
        days = summarise_days(entries, trackers)
        return Overview(
            build_charts(entries, days, start, end),
            find_insights(days, self._service.tags(), trackers),
        )

    def daily(
        self, metric: Metric = "mood", start: date | None = None, end: date | None = None
    ) -> list[DailyPoint]:
        """The same points as :func:`daily_series`, aggregated by SQLite (tens of milliseconds
        for ten years), for a chart's first draw before :meth:`overview` has finished."""
        if metric not in METRICS:
            raise ValueError(f"not a metric: {metric}")
        return self._service.daily_aggregates(metric, start, end)

    def charts(self, start: date | None = None, end: date | None = None) -> Charts:
        entries = self._service.entries(start=start, end=end)
        return build_charts(entries, summarise_days(entries), start, end)  # no tracker is drawn

    def insights(self, start: date | None = None, end: date | None = None) -> list[Insight]:
        trackers = self._service.trackers()
        days = summarise_days(self._service.entries(start=start, end=end), trackers)
        return find_insights(days, self._service.tags(), trackers)
