"""Indicator computation: hand-computed figures, never averaged rates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generators.core.errors import InputError
from generators.indicators import compute
from generators.indicators.assess import assess
from generators.indicators.compute import Attainment, Value
from generators.indicators.dictionary import default_dictionary
from generators.indicators.model import PeriodResults
from generators.indicators.period import Period, parse_period
from generators.indicators.targets import parse_target

D = default_dictionary()
MSR = D.indicators["maternal_system_management_rate"]  # 孕产妇系统管理人数 / 活产数 × 100
IMR = D.indicators["infant_mortality_rate"]  # 婴儿死亡数 / 活产数 × 1000
VOID = D.indicators["birth_certificate_void_rate"]  # 废证数 / (签发数 + 废证数) × 100
U7 = D.indicators["under7_health_management_rate"]  # stock counts


def test_unit_rate_is_numerator_over_denominator() -> None:
    v = compute.indicator_value(MSR, {"maternal_system_managed": 95, "live_births": 100})
    assert v == Value(95, 100, Decimal(95))
    assert v.shown("%") == "95.00%"


def test_zero_denominator_and_missing_count_give_no_value() -> None:
    assert compute.indicator_value(MSR, {"maternal_system_managed": 0, "live_births": 0}).shown("%") == "—"
    assert compute.indicator_value(MSR, {"maternal_system_managed": None, "live_births": 10}).rate is None
    assert compute.indicator_value(MSR, {"live_births": 10}).rate is None


def test_denominator_of_two_counts() -> None:
    v = compute.indicator_value(VOID, {"birth_certificates_voided": 3, "birth_certificates_issued": 297})
    assert (v.numerator, v.denominator, v.rate) == (3, 300, Decimal(1))


def test_group_rate_is_rate_of_summed_counts_not_mean_of_rates() -> None:
    # Unit A 1 of 3 (33.33%), unit B 2 of 5 (40%): the group is 3/8 = 37.5%,
    # where the mean of the two rates would be 36.67%.
    units = [
        {"maternal_system_managed": 1, "live_births": 3},
        {"maternal_system_managed": 2, "live_births": 5},
    ]
    group = compute.pooled_value(MSR, units)
    assert (group.numerator, group.denominator, group.rate) == (3, 8, Decimal("37.5"))
    # A unit missing its denominator is left out of both sums.
    group = compute.pooled_value(MSR, [*units, {"maternal_system_managed": 7, "live_births": None}])
    assert (group.numerator, group.denominator) == (3, 8)


def test_infant_mortality_per_mille_and_unstable_base() -> None:
    v = compute.indicator_value(IMR, {"infant_deaths": 3, "live_births": 800})
    assert v.rate == Decimal("3.75") and v.unstable  # fewer than 1000 live births
    assert not compute.indicator_value(IMR, {"infant_deaths": 3, "live_births": 1200}).unstable


def test_year_to_date_sums_flow_counts_and_takes_latest_stock() -> None:
    q1 = {"live_births": 100, "maternal_system_managed": 90, "children_under7": 5000, "children_under7_managed": 4000}
    q2 = {"live_births": 300, "maternal_system_managed": 294, "children_under7": 5100, "children_under7_managed": 4900}
    ytd = compute.sum_over_time(D, [q1, q2])
    assert ytd["live_births"] == 400 and ytd["maternal_system_managed"] == 384
    assert ytd["children_under7"] == 5100 and ytd["children_under7_managed"] == 4900
    # 384/400 = 96%, not the mean of 90% and 98%.
    assert compute.indicator_value(MSR, ytd).rate == Decimal(96)
    assert compute.indicator_value(U7, ytd).rate == Decimal(4900) * 100 / Decimal(5100)
    # A flow count missing in one quarter makes the year-to-date sum missing.
    assert compute.sum_over_time(D, [q1, {**q2, "live_births": None}])["live_births"] is None


def test_attainment_judged_on_two_places() -> None:
    target = parse_target("达95%")
    assert compute.attainment(target, Value(18999, 20000, Decimal("94.995"))) is Attainment.MET  # shown 95.00%
    assert compute.attainment(target, Value(1, 1, Decimal("94.994"))) is Attainment.MISSED
    assert compute.attainment(target, Value(0, 0, None)) is Attainment.NO_DATA
    lower = parse_target("控制在4‰以下", better="lower")
    assert compute.attainment(lower, Value(4, 1000, Decimal(4))) is Attainment.MET
    assert compute.attainment(parse_target("低于1%"), Value(1, 100, Decimal(1))) is Attainment.MISSED


def test_rank_direction_ties_and_unranked() -> None:
    values = {
        "A": Value(9, 10, Decimal(90)),
        "B": Value(19, 20, Decimal(95)),
        "C": Value(95, 100, Decimal(95)),
        "D": Value(0, 0, None),
    }
    assert compute.rank(values, MSR) == {"A": 3, "B": 1, "C": 1, "D": None}
    deaths = {"A": Value(2, 2000, Decimal(1)), "B": Value(8, 2000, Decimal(4)), "C": Value(1, 500, Decimal(2), True)}
    assert compute.rank(deaths, IMR) == {"A": 1, "B": 2, "C": None}  # lower is better; C unstable


def test_change_against_previous_quarter() -> None:
    assert compute.change(Value(96, 100, Decimal(96)), Value(90, 100, Decimal("93.5"))) == Decimal("2.50")
    assert compute.change(Value(96, 100, Decimal(96)), None) is None


def _results(period: Period, counts: dict[str, dict[str, int | None]]) -> PeriodResults:
    return PeriodResults(period, counts)


def test_assess_year_to_date_group_and_shortfalls() -> None:
    q1, q2 = Period(2012, 1), Period(2012, 2)
    results = {
        q1: _results(
            q1,
            {
                "甲": {"maternal_system_managed": 90, "live_births": 100},
                "乙": {"maternal_system_managed": 50, "live_births": 50},
            },
        ),
        q2: _results(
            q2,
            {
                "甲": {"maternal_system_managed": 98, "live_births": 100},
                "乙": {"maternal_system_managed": 40, "live_births": 50},
            },
        ),
    }
    target = parse_target("达95%")
    a = assess(
        q2, results, ["甲", "乙"], [MSR], {"甲": {MSR.code: target}, "乙": {MSR.code: target}}, {MSR.code: target}, D
    )
    # 甲: Q2 98%, year to date 188/200 = 94% → 未达标; 乙: 90/100 = 90% → 未达标.
    assert a.cell("甲", MSR).quarter.rate == Decimal(98)
    assert a.cell("甲", MSR).ytd.rate == Decimal(94)
    assert a.cell("甲", MSR).change == Decimal("8.00")
    assert a.cell("乙", MSR).ytd.rate == Decimal(90)
    # Group: (188 + 90) / (200 + 100) = 278/300 = 92.67%, not (94 + 90) / 2 = 92.
    assert a.group[MSR.code].ytd.rounded == Decimal("92.67")
    assert a.group[MSR.code].quarter.rate == Decimal(138) * 100 / Decimal(150)
    assert [(s.unit, s.indicator.code) for s in a.shortfalls()] == [("甲", MSR.code), ("乙", MSR.code)]
    assert a.unit_rank == {"甲": 1, "乙": 1}  # both 0 of 1 met
    assert a.met == {"甲": (0, 1), "乙": (0, 1)}


@pytest.mark.parametrize("text", ["2012Q5", "2012-03", "Q1", "2012年第五季度", "", "二〇一二Q1"])
def test_period_not_a_quarter(text: str) -> None:
    with pytest.raises(InputError, match="不是季度"):
        parse_period(text, file="x.yaml", line=3)


def test_period_forms() -> None:
    assert parse_period("2012q3") == Period(2012, 3) == parse_period("2012年第三季度")
    assert Period(2012, 1).previous == Period(2011, 4)
    assert Period(2012, 3).year_to_date == (Period(2012, 1), Period(2012, 2), Period(2012, 3))
    assert Period(2012, 2).long_label == "2012年第二季度" and Period(2012, 2).ytd_label == "2012年1—6月"
