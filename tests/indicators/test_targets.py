"""Target phrases: every phrase in seeds 000 and 002, bad phrases, attainment, round trips."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.core.errors import InputError
from generators.indicators.dictionary import default_dictionary
from generators.indicators.targets import (
    Target,
    check_unit,
    extract_targets,
    format_target,
    parse_target,
    phrase,
    target_met,
)

# (phrase copied literally from the seed, comparator, value, unit, where it occurs)
SEED_PHRASES = [
    # seed 000 — 连云港市妇幼保健集团 2012 工作目标管理责任书
    ("达到85％以上", ">=", "85", "%", "000 知晓率 / 满意度"),
    ("达95%", ">=", "95", "%", "000 孕产妇保健管理率、早孕建册率、7岁以下儿童保健管理率、访视率"),
    ("达85%", ">=", "85", "%", "000 儿童系统管理率"),
    ("控制在5/10万以下", "<=", "5", "/10万", "000 产妇死亡率"),
    ("控制在4‰以下", "<=", "4", "‰", "000 婴儿死亡率"),
    ("达50%", ">=", "50", "%", "000 婚前保健率"),
    ("达40%以上", ">=", "40", "%", "000 产前筛查率"),
    ("达95%以上", ">=", "95", "%", "000 两病筛查率、听力筛查率"),
    ("90%以上", ">=", "90", "%", "000 出生证当年签发率"),
    ("低于1%", "<", "1", "%", "000 废证率"),
    ("达100%", ">=", "100", "%", "000 入托率; 002 合格产科、爱婴医院、托幼机构、继续医学教育"),
    ("达80%以上", ">=", "80", "%", "000 规范化门诊建成率、村医通开通率"),
    ("达30%以上", ">=", "30", "%", "000 数字化门诊建成率"),
    ("达到80%以上", ">=", "80", "%", "000 孕妇孕育通开通率（“达到80%、60%以上”拆开）"),
    ("达到60%以上", ">=", "60", "%", "000 儿童孕育通开通率（同上）"),
    ("达90%以上", ">=", "90", "%", "000 基层参培率"),
    ("达50%以上", ">=", "50", "%", "000 稿件采用率"),
    # seed 002 — 爱婴医院年度工作计划（评价指标）
    ("≥95%", ">=", "95", "%", "002 孕产妇保健管理率、7岁以下儿童管理率"),
    ("≥50%", ">=", "50", "%", "002 两种疾病产前筛查率"),
    ("≥99%", ">=", "99", "%", "002 孕产妇住院分娩率"),
    ("达90%", ">=", "90", "%", "002 知识普及率"),
    ("≥80%", ">=", "80", "%", "002 妇女病普查普治率、妇幼保健保偿率"),
    ("100%", ">=", "100", "%", "002 持证上岗率、执业助理医师持证率"),
    ("≤15/10万", "<=", "15", "/10万", "002 孕产妇死亡率"),
    ("≤10%", "<=", "10", "%", "002 产后出血死亡率"),
    ("≤10‰", "<=", "10", "‰", "002 婴儿死亡率"),
    ("≤8‰", "<=", "8", "‰", "002 新生儿出生缺陷发生率"),
    ("≥90%", ">=", "90", "%", "002 新生儿三种疾病筛查率"),
]

# Phrasings named in the spec and common in other documents.
OTHER_PHRASES = [
    ("达到95%", ">=", "95", "%"),
    ("95%以上", ">=", "95", "%"),
    ("不低于95%", ">=", "95", "%"),
    (">=95%", ">=", "95", "%"),
    (">70%", ">", "70", "%"),
    ("<25‰", "<", "25", "‰"),
    ("控制在6.8‰以内", "<=", "6.8", "‰"),
    ("低于5/10万", "<", "5", "/10万"),
    ("不高于5%", "<=", "5", "%"),
    ("超过70%", ">", "70", "%"),
    ("高于70%", ">", "70", "%"),
    ("为100%", "==", "100", "%"),
    ("=100%", "==", "100", "%"),
    ("95%及以上", ">=", "95", "%"),
    # full-width forms
    ("＞70％", ">", "70", "%"),
    ("＜25‰", "<", "25", "‰"),
    ("≧９５％", ">=", "95", "%"),
    ("≦１０‰", "<=", "10", "‰"),
    ("⩾95%", ">=", "95", "%"),
    ("⩽15/10万", "<=", "15", "/10万"),
    ("控制在６．８‰以内", "<=", "6.8", "‰"),
    ("≤15／10万", "<=", "15", "/10万"),
    (" 达 95 % 以上 ", ">=", "95", "%"),
    ("达95%。", ">=", "95", "%"),
]


@pytest.mark.parametrize(("text", "comparator", "value", "unit", "source"), SEED_PHRASES)
def test_seed_phrases(text: str, comparator: str, value: str, unit: str, source: str) -> None:
    target = parse_target(text)
    assert (target.comparator, target.value, target.unit) == (comparator, Decimal(value), unit), source
    assert target.text == text


@pytest.mark.parametrize(("text", "comparator", "value", "unit"), OTHER_PHRASES)
def test_other_phrases(text: str, comparator: str, value: str, unit: str) -> None:
    target = parse_target(text)
    assert (target.comparator, target.value, target.unit) == (comparator, Decimal(value), unit)


def test_value_kept_exactly() -> None:
    assert str(parse_target("控制在6.8‰以内").value) == "6.8"
    assert str(parse_target("≥95.50%").value) == "95.50"


def test_bare_value_follows_better() -> None:
    assert parse_target("100%").comparator == ">="
    assert parse_target("30%", better="lower").comparator == "<="
    # explicit words win over the hint
    assert parse_target("达30%", better="lower").comparator == ">="


BAD_PHRASES = [
    "约九成",
    "不低于2篇",  # seed 000: 稿件不低于2篇 is a count, not a rate
    "不低于2元",  # seed 002: 经费人均不低于2元
    "15000元/人",
    "达5%以下",  # contradictory
    "低于5%以上",
    "80%、60%以上",  # two values: extract_targets splits these, parse_target does not
    "95%左右",
    "百分之九十五",
    "九十五%",
    ".5%",
    "95.%",
    "≥",
    "%",
    "95",
    "≥95",
    "2个百分点以上",
    "",
    "   ",
]


@pytest.mark.parametrize("text", BAD_PHRASES)
def test_bad_phrases_raise_with_text_quoted(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_target(text)
    assert f"“{text.strip()}”" in info.value.message
    assert info.value.message.startswith("无法识别的目标值")


def test_error_example_and_location_passthrough() -> None:
    with pytest.raises(InputError) as info:
        parse_target("约九成", where="工作表“目标”单元格 C5", file="targets.xlsx", line=5)
    err = info.value
    assert "无法识别的目标值“约九成”" in err.message
    assert (err.where, err.file, err.line) == ("工作表“目标”单元格 C5", "targets.xlsx", 5)
    assert "单元格 C5" in str(err)


def test_count_unit_message_names_the_unit() -> None:
    with pytest.raises(InputError, match="“篇”不是比率单位"):
        parse_target("不低于2篇")


@pytest.mark.parametrize(
    ("text", "value", "met"),
    [
        ("≥95%", "95", True),
        ("≥95%", "94.99", False),
        ("≥95%", "100", True),
        ("达95%以上", 95, True),
        ("达95%以上", 95.0, True),
        (">70%", "70", False),
        (">70%", "70.01", True),
        ("≤15/10万", "15", True),
        ("≤15/10万", "15.01", False),
        ("控制在4‰以下", "4", True),
        ("控制在4‰以下", "4.5", False),
        ("低于1%", "1", False),
        ("低于1%", "0.99", True),
        ("<25‰", "25", False),
        ("<25‰", "24.9", True),
        ("100%", "100", True),
        ("100%", "99.9", False),
        ("为100%", "100", True),
        ("为100%", "99", False),
        ("控制在6.8‰以内", 6.8, True),
        ("控制在6.8‰以内", "6.81", False),
    ],
)
def test_target_met_boundaries(text: str, value: str | int | float, met: bool) -> None:
    v = Decimal(value) if isinstance(value, str) else value
    assert target_met(parse_target(text), v) is met


def test_nan_never_meets() -> None:
    assert target_met(parse_target("≤10‰"), Decimal("NaN")) is False
    assert target_met(parse_target("≥95%"), float("nan")) is False


def test_format_and_seed_phrase() -> None:
    cases = {
        "达95%": ("≥95%", "达95%", "达95%以上"),
        "≤15/10万": ("≤15/10万", "控制在15/10万以下", "控制在15/10万以下"),
        "控制在5/10万以下": ("≤5/10万", "控制在5/10万以下", "控制在5/10万以下"),
        "控制在4‰以下": ("≤4‰", "控制在4‰以下", "控制在4‰以下"),
        "低于1%": ("<1%", "低于1%", "低于1%"),
        "100%": ("≥100%", "达100%", "达100%"),
        ">70%": (">70%", "高于70%", "高于70%"),
        "控制在６．８‰以内": ("≤6.8‰", "控制在6.8‰以下", "控制在6.8‰以下"),
    }
    for text, (compact, seed, long) in cases.items():
        target = parse_target(text)
        assert format_target(target) == compact == str(target)
        assert phrase(target) == phrase(target, "seed") == seed
        assert phrase(target, "long") == long
        assert phrase(target, "compact") == compact


@pytest.mark.parametrize("style", ["compact", "seed", "long"])
@pytest.mark.parametrize("row", SEED_PHRASES + [(*r, "") for r in OTHER_PHRASES])
def test_phrase_round_trip(row: tuple[str, ...], style: str) -> None:
    target = parse_target(row[0])
    again = parse_target(phrase(target, style))  # type: ignore[arg-type]
    assert (again.comparator, again.value, again.unit) == (target.comparator, target.value, target.unit)


def test_target_is_frozen() -> None:
    target = parse_target("达95%")
    with pytest.raises(AttributeError):
        target.value = Decimal(1)  # type: ignore[misc]
    assert target == Target(">=", Decimal("95"), "%", "达95%")


def test_check_unit() -> None:
    d = default_dictionary()
    check_unit(parse_target("控制在4‰以下"), d.require("婴儿死亡率"))
    check_unit(parse_target("≤15/10万"), d.require("孕产妇死亡率"))
    with pytest.raises(InputError) as info:
        check_unit(parse_target("达95‰"), d.require("孕产妇保健管理率"), where="第 3 条")
    assert "孕产妇系统管理率" in info.value.message
    assert "‰" in info.value.message and info.value.where == "第 3 条"


# --- extract_targets on the seed sentences (copied literally, one item at a time) ---

SEED_SENTENCES: list[tuple[str, list[tuple[str, str, str, str]]]] = [
    (
        "使群众对妇儿相关政策和知识知晓率达到85％以上，群众对所接受的妇幼保健服务满意度达到85％以上。",
        [("awareness_rate", ">=", "85", "%"), ("satisfaction_rate", ">=", "85", "%")],
    ),
    (
        "2、规范实施基本公共卫生服务项目的妇幼卫生服务，孕产妇保健管理率达95%，早孕建册率达95%，"
        "7岁以下儿童保健管理率达95%，儿童系统管理率达85%，产后访视及新生儿访视率达95%。",
        [
            ("maternal_system_management_rate", ">=", "95", "%"),
            ("early_pregnancy_registration_rate", ">=", "95", "%"),
            ("under7_health_management_rate", ">=", "95", "%"),
            ("under3_system_management_rate", ">=", "85", "%"),
            ("postpartum_visit_rate", ">=", "95", "%"),
            ("newborn_visit_rate", ">=", "95", "%"),
        ],
    ),
    (
        "产妇死亡率控制在5/10万以下，婴儿死亡率控制在4‰以下。",
        [("maternal_mortality_ratio", "<=", "5", "/10万"), ("infant_mortality_rate", "<=", "4", "‰")],
    ),
    (
        "4、加大实施出生缺陷干预工作力度，婚前保健率达50%，产前筛查率达40%以上，"
        "新生儿甲状腺功能低下和苯丙酮尿症筛查率、新生儿听力筛查率达95%以上，做好转诊和随访工作。",
        [
            ("premarital_examination_rate", ">=", "50", "%"),
            ("prenatal_screening_rate", ">=", "40", "%"),
            ("neonatal_two_disease_screening_rate", ">=", "95", "%"),
            ("neonatal_hearing_screening_rate", ">=", "95", "%"),
        ],
    ),
    (
        "6、严格执行《出生医学证明》管理制度，各签发单位出生证当年签发率90%以上；废证率低于1%。",
        [("birth_certificate_issue_rate", ">=", "90", "%"), ("birth_certificate_void_rate", "<", "1", "%")],
    ),
    (
        "儿童、幼儿园工作人员凭健康检查合格证入托率达100%。",
        [("certified_childcare_entry_rate", ">=", "100", "%")],
    ),
    (
        "规范化妇保门诊和规范化儿保门诊建成率达80%以上。开展数字化妇保门诊和儿保门诊建设，"
        "数字化妇保门诊和儿保门诊建成率达30%以上。",
        [
            ("standard_clinic_completion_rate", ">=", "80", "%"),
            ("digital_clinic_completion_rate", ">=", "30", "%"),
        ],
    ),
    (
        "全面实施“孕育通”，孕妇和儿童“孕育通”开通率分别达到80%、60%以上；全面实施村医网络化管理，"
        "利用手机“村医通”或妇幼保健综合管理平台系统中的村医通平台，开通率达80%以上。",
        [
            ("yuyutong_pregnant_rate", ">=", "80", "%"),
            ("yuyutong_child_rate", ">=", "60", "%"),
            ("village_doctor_app_rate", ">=", "80", "%"),
        ],
    ),
    (
        "10、利用实施母婴安康工程的有利契机，切实组织好基层免费系列化业务知识和技能培训工作，基层参培率达90%以上。",
        [("training_participation_rate", ">=", "90", "%")],
    ),
    (
        "11、加强妇幼保健机构之间经验与信息交流，每月上报市妇幼保健所稿件不低于2篇，采用率达50%以上。",
        [("article_adoption_rate", ">=", "50", "%")],
    ),
    (
        "考核实行平时检查、半年初评、年终综合考评相结合的办法进行综合考评，考核评分半年占40％，年终占60％。",
        [],
    ),
    ("2、“合格产科”评审通过率达100%。", [("qualified_obstetrics_pass_rate", ">=", "100", "%")]),
    ("3、孕产妇保健管理率≥95%。", [("maternal_system_management_rate", ">=", "95", "%")]),
    ("4、7岁以下儿童管理率≥95%。", [("under7_health_management_rate", ">=", "95", "%")]),
    ("5、两种疾病产前筛查率≥50%。", [("prenatal_two_disease_screening_rate", ">=", "50", "%")]),
    ("6、孕产妇住院分娩率≥99%。", [("hospital_delivery_rate", ">=", "99", "%")]),
    ("7、母婴保健法律法规、妇幼保健、计划生育知识普及率达90%。", [("awareness_rate", ">=", "90", "%")]),
    ("8、爱婴医院年度复审合格率达100%。", [("baby_friendly_review_pass_rate", ">=", "100", "%")]),
    ("9、托幼机构卫生保健合格率达100%。", [("childcare_health_qualified_rate", ">=", "100", "%")]),
    ("10、妇女病普查普治率≥80%。", [("women_disease_screening_rate", ">=", "80", "%")]),
    ("11、妇幼保健保偿率≥80%。", [("mch_insurance_rate", ">=", "80", "%")]),
    ("12、母婴保健技术执业人员持证上岗率100%。", [("certified_practice_rate", ">=", "100", "%")]),
    (
        "13、孕产妇死亡率≤15/10万,其中产后出血死亡率\n\n≤10%。",
        [("maternal_mortality_ratio", "<=", "15", "/10万"), ("pph_death_share", "<=", "10", "%")],
    ),
    ("14、婴儿死亡率≤10‰。", [("infant_mortality_rate", "<=", "10", "‰")]),
    ("15、新生儿出生缺陷发生率≤8‰。", [("birth_defect_incidence", "<=", "8", "‰")]),
    ("16、新生儿三种疾病筛查率≥90%。", [("neonatal_three_disease_screening_rate", ">=", "90", "%")]),
    ("17、妇幼保健人员执业助理医师持证率100%。", [("physician_licence_rate", ">=", "100", "%")]),
    ("18、妇幼保健人员继续医学教育覆盖率达100%。", [("cme_coverage_rate", ">=", "100", "%")]),
    ("1、用于18岁以上妇女的卫生保健经费年人均不低于2元。", []),
]


@pytest.mark.parametrize(("sentence", "expected"), SEED_SENTENCES)
def test_extract_targets_from_seed_sentences(sentence: str, expected: list[tuple[str, ...]]) -> None:
    d = default_dictionary()
    found = extract_targets(sentence)
    got = []
    for name, target in found:
        indicator = d.require(name)
        check_unit(target, indicator)
        got.append((indicator.code, target.comparator, str(target.value), target.unit))
    assert got == expected


def test_extract_names_as_written() -> None:
    names = [n for n, _ in extract_targets("孕妇和儿童“孕育通”开通率分别达到80%、60%以上")]
    assert names == ["孕妇“孕育通”开通率", "儿童“孕育通”开通率"]
    names = [n for n, _ in extract_targets("产后访视及新生儿访视率达95%")]
    assert names == ["产后访视率", "新生儿访视率"]


def test_extract_uses_better_for_bare_values() -> None:
    [(name, target)] = extract_targets("剖宫产率30%")
    assert (name, target.comparator) == ("剖宫产率", "<=")


def test_extract_mismatched_lists_raise() -> None:
    with pytest.raises(InputError, match="2 个目标值"):
        extract_targets("某某率分别达到80%、60%", where="第 9 条")


def test_extract_unknown_rate_returned_as_written() -> None:
    assert [n for n, _ in extract_targets("某某新指标率达到80%")] == ["某某新指标率"]


# --- robustness ---------------------------------------------------------------

_PIECES = (
    "达 达到 ≥ ≤ > < ＞ ＜ 控制在 低于 不低于 高于 为 = 95 6.8 ０ ． . % ％ ‰ /10万 / 10 万 "
    "以上 以下 以内 、 ， 篇 率 分别 和 “ ”"
)
_pieces = st.lists(st.sampled_from([*_PIECES.split(), " "]), max_size=8).map("".join)


@settings(max_examples=500, derandomize=True)
@given(st.one_of(st.text(), _pieces))
def test_parse_target_only_raises_input_error(text: str) -> None:
    try:
        target = parse_target(text)
    except InputError as err:
        assert "无法识别的目标值" in err.message
    else:
        assert target.comparator in {">=", ">", "<=", "<", "=="}
        assert target.unit in {"%", "‰", "/10万"}
        assert target_met(target, target.value) is (target.comparator in {">=", "<=", "=="})


@settings(max_examples=300, derandomize=True)
@given(st.one_of(st.text(), _pieces))
def test_extract_targets_only_raises_input_error(text: str) -> None:
    try:
        pairs = extract_targets(text)
    except InputError:
        return
    for name, target in pairs:
        assert name and isinstance(target, Target)
