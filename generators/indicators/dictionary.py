"""The indicator dictionary: raw counts and the rates built from them.

The definitions live in ``generators/data/indicators.yaml`` (data, not code, because
offices define indicators their own way); a user's file of the same shape can add
indicators or change packaged ones by ``code`` (only the keys it writes).  Rates are always computed from
summed counts, so every indicator names its numerator and denominator counts.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from generators.core import notes
from generators.core.errors import InputError
from generators.core.script import to_simplified
from generators.core.yamlsrc import Loc, Located, field_path, read_yaml, validate

PACKAGED_FILE = Path(__file__).resolve().parent.parent / "data" / "indicators.yaml"

Aggregation = Literal["flow", "stock"]
RateUnit = Literal["%", "‰", "/10万"]  # what a rate is counted in (a member unit is indicators.units.Unit)
Better = Literal["higher", "lower"]

# A unit only makes sense with its multiplier; a mismatch is a typo in the file.
UNIT_MULTIPLIER: dict[str, int] = {"%": 100, "‰": 1000, "/10万": 100000}

_CODE_RE = re.compile(r"[a-z][a-z0-9_]*")
# Quotes and book-title marks vary between documents (“孕育通” / 孕育通, 《出生医学证明》).
_IGNORED_IN_NAMES = dict.fromkeys(map(ord, "“”‘’\"'《》〈〉「」『』"), None)


def normalize_name(name: str) -> str:
    """Lookup key for a Chinese name: full-width folded, no spaces or quotes, case-folded,
    traditional script read as simplified (孕產婦死亡率 is 孕产妇死亡率)."""
    text = to_simplified(unicodedata.normalize("NFKC", name)).translate(_IGNORED_IN_NAMES)
    return "".join(text.split()).casefold()


# How alike an unknown name must be to a known one to be offered as "是否应为": a typo
# (孕产妇死忙率, 0.83) is; another indicator sharing a prefix (出生缺陷监测覆盖率 and
# 出生缺陷发生率, 0.63) is not.
SUGGEST_CUTOFF = 0.75


def closest_name(key: str, names: Sequence[str]) -> str | None:
    """The known name an unknown ``key`` is most likely a typo of, or None."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(normalize_name(name), name)
    hint = difflib.get_close_matches(normalize_name(key), list(by_key), n=1, cutoff=SUGGEST_CUTOFF)
    return by_key[hint[0]] if hint else None


def _check_code(value: str) -> str:
    if not _CODE_RE.fullmatch(value):
        raise ValueError(f"代码“{value}”无效：只能用小写英文字母、数字和下划线，并以字母开头（如 live_births）")
    return value


def _check_text(value: str) -> str:
    if not normalize_name(value):
        raise ValueError("名称不能为空")
    return value.strip()


class Count(BaseModel):
    """A raw data element a unit reports per period (活产数, 孕产妇死亡数 …)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    name: str
    aggregation: Aggregation
    aliases: tuple[str, ...] = ()
    note: str | None = None
    # 计量单位 shown under the name on fill-in forms: 人, 例 (deaths), 个 (institutions) …
    measure: str = Field(default="人", min_length=1, max_length=4)

    _code = field_validator("code")(_check_code)
    _name = field_validator("name")(_check_text)

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_check_text(a) for a in value)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class Indicator(BaseModel):
    """numerator ÷ sum(denominator) × multiplier, shown in ``unit``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    name: str
    aliases: tuple[str, ...] = ()
    numerator: str
    denominator: tuple[str, ...] = Field(min_length=1)
    multiplier: int
    unit: RateUnit
    better: Better
    unstable_below: int | None = Field(default=None, gt=0)
    # A numerator that counts people outside the denominator's population (early
    # registrations this quarter against live births this quarter) may exceed it;
    # otherwise numerator > denominator is an input error.
    may_exceed: bool = False
    domain: str | None = None
    note: str | None = None

    _code = field_validator("code")(_check_code)
    _name = field_validator("name")(_check_text)

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_check_text(a) for a in value)

    @field_validator("denominator", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        # 废证率 divides by 签发数 + 废证数, so a list is summed; most have one count.
        return (value,) if isinstance(value, str) else value

    @field_validator("denominator")
    @classmethod
    def _distinct(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        seen: set[str] = set()
        for code in value:
            if code in seen:
                raise ValueError(f"分母中计数“{code}”重复出现")
            seen.add(code)
        return value

    @field_validator("multiplier")
    @classmethod
    def _multiplier(cls, value: int) -> int:
        if value not in UNIT_MULTIPLIER.values():
            raise ValueError(f"乘数 multiplier 只能是 100、1000 或 100000，实际是 {value}")
        return value

    @model_validator(mode="after")
    def _unit_matches_multiplier(self) -> Indicator:
        expected = UNIT_MULTIPLIER[self.unit]
        if self.multiplier != expected:
            raise ValueError(f"单位 {self.unit} 应配乘数 {expected}，实际乘数是 {self.multiplier}")
        return self

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def counts(self) -> tuple[str, ...]:
        """Every count code the indicator needs (numerator first)."""
        return (self.numerator, *(c for c in self.denominator if c != self.numerator))

    def is_unstable(self, denominator_total: int | Decimal) -> bool:
        """True when the base is too small to rank (e.g. MMR on < 10,000 live births)."""
        return self.unstable_below is not None and denominator_total < self.unstable_below


@dataclass(frozen=True)
class _Problem:
    section: Literal["counts", "indicators"]
    index: int  # position in the list passed to _problems
    field: str | None
    message: str


def _problems(counts: list[Count], indicators: list[Indicator]) -> list[_Problem]:
    """Cross-entry problems: duplicate codes or names, references to unknown counts.

    The later of two clashing entries is blamed, so list user entries last.
    """
    out: list[_Problem] = []
    sections: tuple[tuple[Literal["counts", "indicators"], Sequence[Count | Indicator]], ...] = (
        ("counts", counts),
        ("indicators", indicators),
    )
    for section, entries in sections:
        codes: dict[str, int] = {}
        names: dict[str, Count | Indicator] = {}
        for i, entry in enumerate(entries):
            if entry.code in codes:
                out.append(_Problem(section, i, "code", f"代码“{entry.code}”重复"))
            codes.setdefault(entry.code, i)
            own: set[str] = set()
            for name in entry.names:
                key = normalize_name(name)
                other = names.get(key)
                if other is not None and other.code != entry.code:
                    out.append(
                        _Problem(
                            section,
                            i,
                            "name" if name == entry.name else "aliases",
                            f"名称“{name}”重复：已用于 {other.code}（{other.name}）；"
                            f"若要覆盖原有定义，请使用相同的 code：{other.code}",
                        )
                    )
                elif key not in own:
                    names[key] = entry
                own.add(key)
    known = {c.code for c in counts}
    for i, ind in enumerate(indicators):
        for field, code in [("numerator", ind.numerator)] + [("denominator", c) for c in ind.denominator]:
            if code not in known:
                role = "分子" if field == "numerator" else "分母"
                hint = difflib.get_close_matches(code, sorted(known), n=1)
                tip = f"，是否应为“{hint[0]}”？" if hint else "，请先在 counts 中定义"
                message = f"指标“{ind.name}”的{role}“{code}”不是已定义的计数{tip}"
                out.append(_Problem("indicators", i, field, message))
    return out


class IndicatorDictionary(BaseModel):
    """Counts and indicators keyed by code, with lookup by code, name or alias."""

    model_config = ConfigDict(frozen=True)

    counts: dict[str, Count]
    indicators: dict[str, Indicator]

    _index: dict[str, str] = PrivateAttr(default_factory=dict)
    _count_index: dict[str, str] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> IndicatorDictionary:
        for section, entries in (("counts", self.counts), ("indicators", self.indicators)):
            for key, entry in entries.items():
                if key != entry.code:
                    raise ValueError(f"{section} 中键“{key}”与代码“{entry.code}”不一致")
        problems = _problems(list(self.counts.values()), list(self.indicators.values()))
        if problems:
            raise ValueError(problems[0].message)
        return self

    def model_post_init(self, __context: Any) -> None:
        for index, entries in ((self._index, self.indicators), (self._count_index, self.counts)):
            for code, entry in entries.items():
                index[code] = code
                for name in entry.names:
                    index.setdefault(normalize_name(name), code)

    def find(self, key: str) -> Indicator | None:
        """Indicator by code, name or alias (quotes, spaces and full-width forms ignored)."""
        code = self._index.get(key) or self._index.get(normalize_name(key))
        return self.indicators[code] if code else None

    def require(
        self,
        key: str,
        *,
        file: Path | str | None = None,
        line: int | None = None,
        where: str | None = None,
        field: str | None = None,
    ) -> Indicator:
        """Like :meth:`find`, but an unknown name is an InputError with a suggestion."""
        found = self.find(key)
        if found is not None:
            return found
        hint = closest_name(key, [n for ind in self.indicators.values() for n in ind.names])
        tip = f"，是否应为“{hint}”？" if hint else "，请在指标文件中添加该指标"
        raise InputError(f"未知指标“{key}”{tip}", file=file, line=line, where=where, field=field)

    def find_count(self, key: str) -> Count | None:
        code = self._count_index.get(key) or self._count_index.get(normalize_name(key))
        return self.counts[code] if code else None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.find(key) is not None


class _DictionaryFile(BaseModel):
    """Shape of one YAML file; both sections optional so a user file can add just one."""

    model_config = ConfigDict(extra="forbid")

    counts: list[Count] = []
    indicators: list[Indicator] = []


@dataclass(frozen=True)
class _Origin:
    located: Located
    loc: Loc

    def error(self, message: str, field: str | None = None) -> InputError:
        loc = self.loc + ((field,) if field else ())
        line = self.located.line_of(loc)
        return InputError(message, file=self.located.file, line=line, field=field_path(loc))


_SECTIONS: dict[str, str] = {"counts": "计数", "indicators": "指标"}


def _merged_into(located: Located, base: dict[str, dict[str, dict[str, Any]]]) -> Located:
    """A user's entry for a packaged ``code`` (or naming a packaged entry, without a code)
    changes only what it writes: aliases are added to the packaged ones, a new name keeps
    the old one as an alias, other keys replace theirs.  Each merge is noted."""
    data = located.data
    if not isinstance(data, dict):
        return located
    out = dict(data)
    for section, label in _SECTIONS.items():
        entries = data.get(section)
        if not isinstance(entries, list):
            continue
        by_name = {normalize_name(n): code for code, e in base[section].items() for n in (e["name"], *e["aliases"])}
        merged_entries: list[Any] = []
        for i, entry in enumerate(entries):
            code = entry.get("code") if isinstance(entry, dict) else None
            if isinstance(entry, dict) and code is None and isinstance(entry.get("name"), str):
                code = by_name.get(normalize_name(entry["name"]))
                if code is not None:
                    entry = {**entry, "code": code, "name": base[section][code]["name"]}
            if not isinstance(code, str) or code not in base[section]:
                merged_entries.append(entry)
                continue
            packaged = base[section][code]
            merged, said = _merge_entry(packaged, entry)
            merged_entries.append(merged)
            change = "；".join(said) if said else "与内置定义相同"
            notes.add(
                f"{label}“{packaged['name']}”（{code}）在内置定义上修改：{change}；其余沿用内置定义",
                file=located.file,
                line=located.line_of((section, i)),
                field=field_path((section, i)),
            )
        out[section] = merged_entries
    return Located(out, located.lines, located.file)


def _merge_entry(packaged: dict[str, Any], entry: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    merged = {**packaged, **entry}
    aliases = list(packaged["aliases"])
    said: list[str] = []
    new_name = entry.get("name", packaged["name"])
    if isinstance(new_name, str) and new_name.strip() != packaged["name"]:
        said.append(f"名称改为“{new_name.strip()}”（原名称“{packaged['name']}”仍可使用）")
        aliases.append(packaged["name"])
    if "aliases" in entry:
        added = entry["aliases"] if isinstance(entry["aliases"], list) else [entry["aliases"]]
        known = {normalize_name(n) for n in (*aliases, packaged["name"], new_name) if isinstance(n, str)}
        fresh = [a for a in added if not (isinstance(a, str) and normalize_name(a) in known)]
        if fresh:
            said.append("增加别名" + "、".join(f"“{a}”" for a in fresh))
        aliases += fresh
    merged["aliases"] = [a for a in aliases if a != new_name]
    changed = [key for key in entry if key not in ("code", "name", "aliases") and entry[key] != packaged.get(key)]
    if changed:
        said.append("修改 " + "、".join(changed))
    return merged, said


def _read(
    path: Path, base: dict[str, dict[str, dict[str, Any]]] | None = None
) -> tuple[list[tuple[Count, _Origin]], list[tuple[Indicator, _Origin]]]:
    located = read_yaml(path)
    if base is not None:
        located = _merged_into(located, base)
    parsed = validate(_DictionaryFile, located)
    counts = [(c, _Origin(located, ("counts", i))) for i, c in enumerate(parsed.counts)]
    indicators = [(d, _Origin(located, ("indicators", i))) for i, d in enumerate(parsed.indicators)]
    # Within one file a repeated code is a mistake; across files it is an override.
    for entries in (counts, indicators):
        first: dict[str, _Origin] = {}
        for entry, origin in entries:
            if entry.code in first:
                where = first[entry.code]
                raise origin.error(f"代码“{entry.code}”重复（第 {where.located.line_of(where.loc)} 行已定义）", "code")
            first[entry.code] = origin
    return counts, indicators


def _merge(base: list[tuple[Any, _Origin]], extra: list[tuple[Any, _Origin]]) -> tuple[list, list]:
    """(display order: overrides in place, additions last; check order: user entries last)."""
    overrides = {entry.code: (entry, origin) for entry, origin in extra}
    display = [overrides.get(entry.code, (entry, origin)) for entry, origin in base]
    base_codes = {entry.code for entry, _ in base}
    display += [pair for pair in extra if pair[0].code not in base_codes]
    check = [pair for pair in base if pair[0].code not in overrides] + list(extra)
    return display, check


def load_dictionary(extra: Path | str | None = None) -> IndicatorDictionary:
    """Load the packaged dictionary, then the user's ``extra`` file (same shape) on top.

    An extra entry with an existing ``code`` (or, without a code, a packaged name) is
    merged into the packaged one (``_merged_into``), and a note says what changed; new
    codes are added.  Errors are InputError naming the file and line of the offending entry.
    """
    counts, indicators = _read(PACKAGED_FILE)
    if extra is not None:
        base = {
            "counts": {c.code: c.model_dump(mode="json") for c, _ in counts},
            "indicators": {d.code: d.model_dump(mode="json") for d, _ in indicators},
        }
        more_counts, more_indicators = _read(Path(extra), base)
        counts, check_counts = _merge(counts, more_counts)
        indicators, check_indicators = _merge(indicators, more_indicators)
    else:
        check_counts, check_indicators = counts, indicators
    problems = _problems([c for c, _ in check_counts], [d for d, _ in check_indicators])
    if problems:
        p = problems[0]
        _, origin = (check_counts if p.section == "counts" else check_indicators)[p.index]
        raise origin.error(p.message, p.field)
    return IndicatorDictionary(
        counts={c.code: c for c, _ in counts},
        indicators={d.code: d for d, _ in indicators},
    )


@functools.lru_cache(maxsize=1)
def default_dictionary() -> IndicatorDictionary:
    """The packaged dictionary, loaded once (models are frozen, so sharing is safe)."""
    return load_dictionary()
