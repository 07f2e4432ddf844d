"""Jobs for a year of supervision: per quarter the 通报, one feedback sheet per unit,
the statistical table and the blank fill-in form."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from generators.core.names import slug
from generators.core.yamlsrc import Located
from generators.document.model import Document, Meta
from generators.indicators.assess import QuarterAssessment, assess
from generators.indicators.model import required_counts
from generators.indicators.period import Period
from generators.indicators.scoring import UnitScore, unit_score, weighted
from generators.indicators.strata import form_counts
from generators.indicators.targets import phrase
from generators.kinds.circular import GeneratedIn, build_circular
from generators.kinds.claims import Claims, Issued
from generators.kinds.jobs import AnyJob, FileJob, Job
from generators.kinds.supervision import Quarter, Supervision, load_supervision, report_date
from generators.kinds.supervision_report import feedback_document, report_body, shown
from generators.sheets.forms import write_blank_form
from generators.sheets.ledger import LedgerItem, deadline_for, ledger_items, write_ledger
from generators.sheets.stat_table import write_stat_table


def _group(sup: Supervision) -> str:
    return sup.book.spec.group


def assessments(sup: Supervision) -> list[tuple[Quarter, QuarterAssessment]]:
    results = sup.results_by_period()
    args = (sup.units, sup.indicators, sup.targets, sup.group_targets, sup.dictionary)
    return [(q, assess(q.period, results, *args, sup.last_year(q.period))) for q in sup.quarters]


def _count_names(sup: Supervision) -> dict[str, str]:
    return {c.code: c.name for c in sup.dictionary.counts.values()}


def unit_scores(sup: Supervision, a: QuarterAssessment) -> dict[str, UnitScore] | None:
    """Each unit's score on its year-to-date values (None: the book has no 评分 rules)."""
    if not sup.rules:
        return None
    return {
        u: unit_score(
            u,
            sup.rules,
            sup.targets[u],
            {ind.code: a.cell(u, ind).ytd.rounded for ind in sup.indicators},
            sup.bonus_cap,
        )
        for u in sup.units
    }


def year_scores(sup: Supervision, scored: dict[Period, dict[str, UnitScore] | None], q: Quarter) -> dict | None:
    """In the fourth quarter, with the second's scores at hand: the year's weighted score."""
    half = scored.get(Period(q.period.year, 2))
    if q.period.quarter != 4 or half is None or scored.get(q.period) is None:
        return None
    shares = sup.book.spec.assessment
    year = scored[q.period]
    assert year is not None
    return weighted({u: s.total for u, s in half.items()}, {u: s.total for u, s in year.items()},
                    shares.half_year, shares.year_end)  # fmt: skip


def shortfall_items(q: Quarter, a: QuarterAssessment) -> list[LedgerItem]:
    return [
        LedgerItem(
            s.unit,
            s.indicator.name,
            shown(s.cell.ytd, s.indicator),
            phrase(s.cell.target, "compact") if s.cell.target else "",
            str(q.period),
            deadline_for(q.period),
        )
        for s in a.shortfalls()
    ]


def report_document(
    sup: Supervision,
    q: Quarter,
    a: QuarterAssessment,
    scores: dict[str, UnitScore] | None = None,
    year: dict | None = None,
    claims: Claims | None = None,
) -> tuple[Document, Issued]:
    """The quarter's 通报; its 文号 is reserved in the number registry like a circular's."""

    frame = sup.spec.frame.model_dump(by_alias=True, exclude_none=True)
    spec = GeneratedIn.model_validate(
        {
            **frame,
            "发文字号": {"年份": q.spec.date.year, "序号": q.spec.sequence},
            "标题": f"关于{q.period.long_label}妇幼保健工作督导情况的{sup.spec.frame.kind}",
            "成文日期": q.spec.date,
        }
    )
    body = report_body(
        a,
        count_names=_count_names(sup),
        measures={c.name: c.measure for c in sup.dictionary.counts.values()},
        book_title="".join(sup.book.spec.title),
        visit=q.spec.visit,
        methods=sup.spec.methods,
        next_steps="\n".join(sup.spec.next_steps),
        chart_codes=[ind.code for ind in sup.main_indicators],
        scores=scores,
        year_scores=year,
        year_shares=f"半年得分×{sup.book.spec.assessment.half_year}%＋年终得分×{sup.book.spec.assessment.year_end}%",
        ledger=q.ledger,
    )
    index = sup.spec.quarters.index(q.spec)
    claims = claims or Claims()
    with claims.numbered(spec, sup.source, kind=f"督导通报:{q.period}", loc=("季度", index, "序号")) as (taken, issued):
        doc = build_circular(taken, sup.source, body)
    return doc, issued


def feedback_documents(sup: Supervision, q: Quarter, a: QuarterAssessment) -> list[tuple[str, Document]]:
    group = _group(sup)
    out = []
    for unit in sup.units:
        meta = Meta(
            title=f"{unit}{q.period.long_label}督导反馈意见",
            author=group,
            date=q.spec.date,
            identifier=f"{q.period}-督导反馈-{unit}",
            subject="督导反馈意见",
        )
        doc = feedback_document(
            a,
            unit,
            count_names=_count_names(sup),
            group=group,
            visit=q.spec.visit,
            methods=sup.spec.methods,
            rectification="\n".join(sup.spec.rectification),
            meta=meta,
        )
        out.append((unit, doc))
    return out


def _stat_table(sup: Supervision, q: Quarter, target: Path) -> Path:

    return write_stat_table(
        target,
        title=f"{_group(sup)}{q.period.long_label}主要妇幼保健指标统计表",
        period_label=q.period.long_label,
        units=list(sup.units),
        indicators=list(sup.main_indicators),
        counts=q.results.counts,
        targets=sup.targets,
        group_targets=sup.group_targets,
        dictionary=sup.dictionary,
        reporter=_group(sup),
        preparer=sup.spec.reporter,
        report_date=report_date(q),
        last_year=last.counts if (last := sup.last_year(q.period)) is not None else None,
    )


def _blank_form(sup: Supervision, q: Quarter, target: Path) -> Path:

    counts = required_counts(sup.dictionary, sup.indicators)
    if sup.split is not None:
        counts = form_counts(sup.split, counts)
    return write_blank_form(target, q.period, list(sup.book.units), counts, group=_group(sup))


def _ledger(sup: Supervision, q: Quarter, items: list[LedgerItem], target: Path) -> Path:
    return write_ledger(target, q.period, _group(sup), items)


def supervision_jobs(located: Located, claims: Claims | None = None) -> list[AnyJob]:
    """A supervision input's jobs; the 通报's numbers come from ``claims`` (default: the
    default registry)."""
    sup = load_supervision(located)
    year = Path(str(sup.spec.year))
    jobs: list[AnyJob] = []
    distinct = (("集团", _group(sup)),)
    assessed = assessments(sup)
    scored = {q.period: unit_scores(sup, a) for q, a in assessed}
    for q, a in assessed:
        folder = year / "dudao" / str(q.period).lower()
        report, issued = report_document(sup, q, a, scored[q.period], year_scores(sup, scored, q), claims)
        jobs.append(Job(report, folder / "tongbao", located.file, on_written=issued, distinct=distinct))
        ledger = ledger_items(q.period, shortfall_items(q, a), list(q.ledger or ()))
        jobs.append(
            FileJob(folder / "zhenggai-taizhang.xlsx", located.file, partial(_ledger, sup, q, ledger), distinct)
        )
        for unit, doc in feedback_documents(sup, q, a):
            jobs.append(Job(doc, folder / "fankui" / slug(unit), located.file, distinct=distinct))
        name = str(q.period).lower()
        table, form = f"{name}-zhuyao-zhibiao.xlsx", f"{name}-tianbaobiao.xlsx"
        jobs.append(FileJob(year / "tongji" / table, located.file, partial(_stat_table, sup, q), distinct))
        jobs.append(FileJob(year / "tianbao" / form, located.file, partial(_blank_form, sup, q), distinct))
    return jobs
