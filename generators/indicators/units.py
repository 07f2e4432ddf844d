"""Member units (成员单位) of a group: one YAML file, shared by every document kind."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from generators.core.errors import InputError
from generators.core.names import slug
from generators.core.yamlsrc import Located, read_yaml, validate
from generators.indicators.dictionary import normalize_name

Text = Annotated[str, Field(min_length=1)]


class Unit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: Text = Field(alias="名称")
    short_name: Text = Field(alias="简称")
    legal_representative: Text = Field(alias="法定代表人")
    address: str | None = Field(None, alias="地址")


class UnitsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    units: list[Unit] = Field(alias="成员单位", min_length=1)


def is_units_file(data: dict) -> bool:
    """A units file has a list under 成员单位 (a book names the file there instead)."""
    return isinstance(data.get("成员单位"), list)


def check_units(units: list[Unit], located: Located) -> None:
    """Names, short names and file names must be unique: a name or short name picks
    exactly one unit in overrides, and each unit gets its own output file."""
    seen: dict[str, int] = {}
    slugs: dict[str, str] = {}
    for i, unit in enumerate(units):
        for key, value in (("名称", unit.name), ("简称", unit.short_name)):
            norm = normalize_name(value)
            line = located.line_of(("成员单位", i, key))
            if norm in seen and seen[norm] != i:
                first = located.line_of(("成员单位", seen[norm]))
                raise InputError(
                    f"成员单位“{value}”重复（第 {first} 行已列出）",
                    file=located.file,
                    line=line,
                    field=f"成员单位[{i + 1}].{key}",
                )
            seen[norm] = i
        s = slug(unit.name)
        if s in slugs:
            raise InputError(
                f"“{unit.name}”与“{slugs[s]}”的拼音文件名相同（{s}），请区分名称",
                file=located.file,
                line=located.line_of(("成员单位", i, "名称")),
            )
        slugs[s] = unit.name


def load_units(path: Path) -> list[Unit]:
    located = read_yaml(path)
    if not isinstance(located.data, dict) or not is_units_file(located.data):
        raise InputError("成员单位文件应有“成员单位:”列表", file=path, line=1)
    units = validate(UnitsFile, located).units
    check_units(units, located)
    return units


def find_unit(units: list[Unit], key: str) -> Unit | None:
    """A unit by its name or short name (spaces and full-width forms ignored)."""
    norm = normalize_name(key)
    for unit in units:
        if norm in (normalize_name(unit.name), normalize_name(unit.short_name)):
            return unit
    return None
