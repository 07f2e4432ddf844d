"""The indicator dictionary: packaged data, lookup, user extra files, errors with lines."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from pydantic import ValidationError

from generators.core.errors import InputError
from generators.indicators.dictionary import UNIT_MULTIPLIER, Count, Indicator, IndicatorDictionary, load_dictionary

# Every raw count named in shared/spec/indicators.md.
SPEC_COUNTS = (
    "活产数 产妇数 孕产妇死亡数 婴儿死亡数 新生儿死亡数 5岁以下儿童死亡数 早孕建册人数 产前检查人数 "
    "孕产妇系统管理人数 产后访视人数 新生儿访视人数 住院分娩活产数 剖宫产活产数 高危产妇数 "
    "高危产妇住院分娩数 高危孕产妇管理人数 7岁以下儿童数 7岁以下儿童保健管理人数 3岁以下儿童数 "
    "3岁以下儿童系统管理人数 体弱儿数 体弱儿管理人数 甲低筛查人数 苯丙酮尿症筛查人数 听力筛查人数 "
    "产前筛查人数 结婚登记人数 婚前医学检查人数 围产儿数 出生缺陷儿数 出生医学证明签发数 "
    "出生医学证明废证数 孕产妇艾滋病检测人数 农村住院分娩产妇数 农村住院分娩补助人数 应查妇女数 "
    "实查妇女数 调查人数 知晓人数 满意人数 参加培训人数 应培训人数"
).split()

SPEC_STOCKS = {"7岁以下儿童数", "3岁以下儿童数", "体弱儿数", "应查妇女数"}

# Every indicator in the spec table, and every indicator seeds 000 / 002 set a target for.
SPEC_INDICATORS = (
    "孕产妇死亡率 婴儿死亡率 新生儿死亡率 5岁以下儿童死亡率 早孕建册率 早孕建卡率 产前检查率 "
    "孕产妇系统管理率 孕产妇保健管理率 产后访视率 新生儿访视率 住院分娩率 高危孕产妇住院分娩率 "
    "高危孕产妇管理率 剖宫产率 7岁以下儿童保健管理率 3岁以下儿童系统管理率 体弱儿管理率 "
    "新生儿甲低筛查率 苯丙酮尿症筛查率 新生儿听力筛查率 产前筛查率 婚前医学检查率 婚检率 "
    "出生缺陷发生率 《出生医学证明》签发率 "
    "《出生医学证明》废证率 孕产妇艾滋病检测率 农村孕产妇住院分娩补助率 妇女病普查率 知晓率 满意度 参培率"
).split()
SEED_INDICATORS = (
    "婚前保健率 两种疾病产前筛查率 新生儿甲状腺功能低下和苯丙酮尿症筛查率 出生证当年签发率 废证率 入托率 "
    "健康检查合格证入托率 规范化门诊建成率 规范化妇保门诊和规范化儿保门诊建成率 "
    "数字化妇保门诊和儿保门诊建成率 "
    "孕妇“孕育通”开通率 儿童“孕育通”开通率 村医通开通率 基层参培率 稿件采用率 采用率 "
    "“合格产科”评审通过率 孕产妇住院分娩率 爱婴医院年度复审合格率 托幼机构卫生保健合格率 妇女病普查普治率 "
    "妇幼保健保偿率 母婴保健技术执业人员持证上岗率 产后出血死亡率 新生儿出生缺陷发生率 新生儿三种疾病筛查率 "
    "妇幼保健人员执业助理医师持证率 妇幼保健人员继续医学教育覆盖率 7岁以下儿童管理率 "
    "儿童系统管理率 产妇死亡率 "
    "母婴保健法律法规、妇幼保健、计划生育知识普及率 新生儿访视率 产后访视率 早孕建册率"
).split()


@pytest.fixture(scope="module")
def dictionary() -> IndicatorDictionary:
    return load_dictionary()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my_indicators.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_loads(dictionary: IndicatorDictionary) -> None:
    assert len(dictionary.counts) >= len(SPEC_COUNTS)
    assert len(dictionary.indicators) >= 40


@pytest.mark.parametrize("name", SPEC_COUNTS)
def test_every_spec_count_present(dictionary: IndicatorDictionary, name: str) -> None:
    count = dictionary.find_count(name)
    assert count is not None, name
    assert count.aggregation == ("stock" if name in SPEC_STOCKS else "flow") or name not in SPEC_STOCKS


def test_stock_and_flow(dictionary: IndicatorDictionary) -> None:
    for name in SPEC_STOCKS:
        assert dictionary.find_count(name).aggregation == "stock"
    for name in ("活产数", "孕产妇死亡数", "产后访视人数", "听力筛查人数", "实查妇女数"):
        assert dictionary.find_count(name).aggregation == "flow"


@pytest.mark.parametrize("name", SPEC_INDICATORS + SEED_INDICATORS)
def test_every_indicator_present(dictionary: IndicatorDictionary, name: str) -> None:
    assert dictionary.find(name) is not None, name


def test_every_indicator_is_well_formed(dictionary: IndicatorDictionary) -> None:
    for code, ind in dictionary.indicators.items():
        assert code == ind.code and code.isascii()
        assert ind.numerator in dictionary.counts
        assert all(c in dictionary.counts for c in ind.denominator)
        assert ind.multiplier == UNIT_MULTIPLIER[ind.unit]
    for code, count in dictionary.counts.items():
        assert code == count.code and code.isascii()


def test_every_count_is_used(dictionary: IndicatorDictionary) -> None:
    used = {c for ind in dictionary.indicators.values() for c in ind.counts}
    assert used == set(dictionary.counts)


def test_lookup_by_code_name_and_alias(dictionary: IndicatorDictionary) -> None:
    mmr = dictionary.find("maternal_mortality_ratio")
    assert mmr is dictionary.find("孕产妇死亡率")
    assert mmr.unit == "/10万" and mmr.multiplier == 100000 and mmr.better == "lower"
    assert mmr.unstable_below == 10000
    assert dictionary.find("婴儿死亡率").unstable_below == 1000
    assert dictionary.find("孕产妇保健管理率").code == "maternal_system_management_rate"
    assert dictionary.find("早孕建卡率").code == "early_pregnancy_registration_rate"
    assert dictionary.find("7岁以下儿童管理率").code == "under7_health_management_rate"
    assert dictionary.find("７岁以下儿童管理率").code == "under7_health_management_rate"  # full-width
    premarital = "premarital_examination_rate"
    assert dictionary.find("婚检率").code == dictionary.find("婚前保健率").code == premarital
    assert dictionary.find("孕产妇 保健管理率") is not None  # stray spaces
    assert dictionary.find("不存在的指标") is None
    assert "废证率" in dictionary and "不存在的指标" not in dictionary


def test_void_rate_sums_its_denominator(dictionary: IndicatorDictionary) -> None:
    void = dictionary.find("废证率")
    assert void.denominator == ("birth_certificates_issued", "birth_certificates_voided")
    assert void.better == "lower" and void.unit == "%"


def test_require_suggests(dictionary: IndicatorDictionary) -> None:
    with pytest.raises(InputError) as info:
        dictionary.require("孕产妇保健率", file="t.yaml", line=3)
    assert "未知指标“孕产妇保健率”" in info.value.message
    assert "孕产妇保健管理率" in info.value.message
    assert info.value.line == 3


def test_is_unstable(dictionary: IndicatorDictionary) -> None:
    mmr = dictionary.find("孕产妇死亡率")
    assert mmr.is_unstable(9999) and not mmr.is_unstable(10000)
    assert not dictionary.find("早孕建册率").is_unstable(1)


def test_extra_file_adds_and_overrides(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        counts:
          - {code: vitamin_d_given, name: 维生素D补充人数, aggregation: flow}
        indicators:
          - code: vitamin_d_rate
            name: 维生素D补充率
            aliases: [VD补充率]
            numerator: vitamin_d_given
            denominator: live_births
            multiplier: 100
            unit: "%"
            better: higher
          - code: postpartum_visit_rate
            name: 产后访视率
            aliases: [产后随访率]
            numerator: postpartum_visited
            denominator: women_delivered
            multiplier: 100
            unit: "%"
            better: higher
        """,
    )
    d = load_dictionary(path)
    assert d.find("维生素D补充率").code == "vitamin_d_rate"
    assert d.find("vd补充率").code == "vitamin_d_rate"
    assert d.find("产后随访率").denominator == ("women_delivered",)
    assert list(d.indicators)[-1] == "vitamin_d_rate"  # additions last, overrides in place
    assert len(d.indicators) == len(load_dictionary().indicators) + 1


def test_extra_unknown_count_gives_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        indicators:
          - code: vitamin_d_rate
            name: 维生素D补充率
            numerator: vitamin_d_given
            denominator: live_births
            multiplier: 100
            unit: "%"
            better: higher
        """,
    )
    with pytest.raises(InputError) as info:
        load_dictionary(path)
    err = info.value
    assert err.line == 4  # the numerator: line
    assert "vitamin_d_given" in err.message and "维生素D补充率" in err.message
    assert Path(err.file) == path
    assert err.field == "indicators[1].numerator"


def test_extra_unknown_denominator_in_list(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        indicators:
          - code: x_rate
            name: 某率
            numerator: live_births
            denominator: [women_delivered, women_delivred]
            multiplier: 100
            unit: "%"
            better: higher
        """,
    )
    with pytest.raises(InputError) as info:
        load_dictionary(path)
    assert info.value.line == 5
    assert "women_delivred" in info.value.message and "women_delivered" in info.value.message


def test_extra_duplicate_code_gives_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        counts:
          - {code: a_count, name: 甲数, aggregation: flow}
          - {code: b_count, name: 乙数, aggregation: flow}
          - {code: a_count, name: 丙数, aggregation: stock}
        """,
    )
    with pytest.raises(InputError) as info:
        load_dictionary(path)
    assert info.value.line == 4
    assert "a_count" in info.value.message and "第 2 行" in info.value.message


def test_extra_duplicate_name_against_packaged(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        indicators:
          - code: my_mmr
            name: 本地孕产妇死亡率
            aliases: [孕产妇死亡率]
            numerator: maternal_deaths
            denominator: live_births
            multiplier: 100000
            unit: /10万
            better: lower
        """,
    )
    with pytest.raises(InputError) as info:
        load_dictionary(path)
    assert info.value.line == 4
    assert "maternal_mortality_ratio" in info.value.message


_RATE_HEAD = "indicators:\n  - code: r\n    name: 率\n    numerator: live_births\n    denominator: live_births\n"


@pytest.mark.parametrize(
    ("body", "line", "needle"),
    [
        (
            _RATE_HEAD + '    multiplier: 1000\n    unit: "%"\n    better: higher\n',
            2,
            "1000",
        ),
        (
            _RATE_HEAD + '    multiplier: 100\n    unit: "%"\n    better: up\n',
            8,
            "up",
        ),
        ("counts:\n  - {code: Live-Births, name: 活, aggregation: flow}\n", 2, "Live-Births"),
        ("counts:\n  - {code: abc, name: 某数, aggregation: sum}\n", 2, "sum"),
        ("indicator: []\n", 1, "未知"),
        ("counts:\n  - {code: abc, name: 某数, aggregation: flow\n", 3, "YAML"),
        ("counts:\n  - {code: abc, name: 某数, name: 又一数, aggregation: flow}\n", 2, "重复"),
    ],
)
def test_bad_extra_files(tmp_path: Path, body: str, line: int, needle: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_dictionary(path)
    assert info.value.line == line, str(info.value)
    assert needle in str(info.value)


def test_missing_extra_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="不存在"):
        load_dictionary(tmp_path / "nope.yaml")


def test_direct_construction_is_validated() -> None:
    count = Count(code="a", name="甲数", aggregation="flow")
    good = Indicator(code="r", name="率", numerator="a", denominator="a", multiplier=100, unit="%", better="higher")
    assert good.denominator == ("a",)
    IndicatorDictionary(counts={"a": count}, indicators={"r": good})
    bad = good.model_copy(update={"numerator": "zzz"})
    with pytest.raises(ValidationError, match="zzz"):
        IndicatorDictionary(counts={"a": count}, indicators={"r": bad})
