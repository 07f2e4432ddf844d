"""Recognise the parts of a 公文 in normalised lines (GB/T 9704-2012 order).

In: cleaned lines. Out: a ``Recognised`` with every part found, the source lines it
came from and the places where the rules were unsure.  The order of the standard
drives it: 版头 (份号, 密级, 紧急程度, 发文机关标志, 发文字号, 签发人) → 标题 → 主送 →
正文 → 附件说明 → 署名 / 成文日期 → 附注 → 版记 (抄报, 抄送, 印发机关和日期, 共印)
and 附件 pages (before or after the 版记: older drafts print the 版记 first).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from generators.drafts import patterns as P
from generators.drafts.normalise import Cleaned, tidy_spaces, to_full_width_label


@dataclass
class Part:
    name: str  # 发文字号, 标题, …
    value: str
    lines: list[int]
    how: str = ""  # how it was recognised (or inferred)


@dataclass
class Paragraph:
    no: int
    level: int  # 0 body text, 1–4 heading levels
    text: str


@dataclass
class AttachmentDraft:
    header_no: int | None
    title: str
    title_lines: list[str]
    title_nos: list[int]
    body: list[Cleaned]


@dataclass
class Recognised:
    parts: list[Part] = field(default_factory=list)
    body: list[Paragraph] = field(default_factory=list)
    attachment_names: list[tuple[str, int]] = field(default_factory=list)
    attachments: list[AttachmentDraft] = field(default_factory=list)
    unsure: list[tuple[int | None, str]] = field(default_factory=list)
    fields: dict = field(default_factory=dict)  # the circular YAML's values
    changes: list[tuple[int, str, str, str]] = field(default_factory=list)  # made while recognising

    def part(self, name: str, value: str, lines: list[int], how: str = "") -> None:
        self.parts.append(Part(name, value, lines, how))


def heading_level(text: str) -> tuple[int, str, str]:
    """(level, style, text after the number) of a numbered line; (0, "", text) otherwise."""
    for level, style, pattern in P.NUMBERING:
        m = pattern.match(text)
        if m:
            return level, style, text[m.end() :]
    return 0, "", text


_CN = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_small(text: str) -> int:
    """一 … 三十一 → int (months and days)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN.get(tens, 0) if tens else 1) * 10 + (_CN.get(ones, 0) if ones else 0)
    return _CN[text]


def parse_date(m: re.Match[str]) -> tuple[dt.date, str] | None:
    """A DATE_LINE/PRINT_LINE match → (date, "汉字" or "阿拉伯数字"); None when impossible."""
    try:
        if m.groupdict().get("ay"):
            return dt.date(int(m["ay"]), int(m["am"]), int(m["ad"])), "阿拉伯数字"
        year = int("".join(str(_CN.get(ch, 0)) for ch in m["cy"].translate({ord(c): "〇" for c in P.ZERO_LOOKALIKES})))
        return dt.date(year, _cn_small(m["cm"]), _cn_small(m["cd"])), "汉字"
    except (KeyError, ValueError):
        return None


def _names(text: str) -> list[str]:
    """抄送 list → names (separators 、，,；;, final 。 dropped)."""
    return [n.strip(" 。.") for n in P.LIST_SEPARATORS.split(tidy_spaces(text)) if n.strip(" 。.")]


def _is_record_line(text: str) -> bool:
    return bool(
        P.COPIES_UP.match(text) or P.COPIES.match(text) or P.PRINT_LINE.match(text) or P.PRINT_COUNT.match(text)
    )


def _signature_like(text: str) -> bool:
    """A 署名: a short organ name (no punctuation, no number, not 特此通知)."""
    plain = not re.search(r"[。，；：:、,;！？]", text) and not P.CLOSINGS.match(text)
    return len(text) <= 30 and plain and heading_level(text)[0] == 0


def _header_line(text: str) -> bool:
    return bool(
        P.COPY_NUMBER.match(text) or P.SECRECY.match(text) or P.URGENCY.match(text) or P.ISSUER_MARK.match(text)
    )


def _unnumbered_title_at(lines: list[Cleaned]) -> int | None:
    """Where the title starts in a draft written before it has a number: after the
    版头 lines, a title ending in a 文种 within a few lines, then a 主送 line (…：)."""
    start = 0
    while start < min(len(lines), 6) and _header_line(tidy_spaces(lines[start].text)):
        start += 1
    window = [tidy_spaces(ln.text) for ln in lines[start : start + 5]]
    ending = next((k for k, text in enumerate(window) if len(text) <= 60 and text.endswith(P.DOCUMENT_KINDS)), None)
    if ending is None or ending + 1 >= len(window):
        return None
    follows = window[ending + 1]
    if not P.RECIPIENTS_END.search(follows) or "。" in follows or len(follows) > 80:
        return None
    return start


def recognise_circular(lines: list[Cleaned]) -> Recognised | None:
    """Lines of a draft → Recognised, or None when it is not a circular: no 发文字号, and
    no title ending in a 文种 followed by a 主送 line.  A draft without a number gets
    ``_seq`` auto (the registry numbers it when it is built)."""
    r = Recognised()
    f = r.fields
    number_at = next((i for i, ln in enumerate(lines[:12]) if P.DOC_NUMBER.match(tidy_spaces(ln.text))), None)
    if number_at is None:
        title_at = _unnumbered_title_at(lines)
        if title_at is None:
            return None
        _header(lines[:title_at], r)
        f["_code"], f["_year"], f["_seq"] = None, None, "auto"
        r.part("发文字号", "（生成时由发文登记簿编号）", [], "草稿没有发文字号：序号写 auto，年份取成文日期的年份")
        i = _title_and_recipients(lines, title_at, r)
        i = _body(lines, i, r)
        _tail(lines, i, r)
        _infer(r)
        return r
    _header(lines[:number_at], r)
    _number_and_signers(lines, number_at, r)
    return r


def _header(header: list[Cleaned], r: Recognised) -> None:
    f = r.fields
    for ln in header:
        text = tidy_spaces(ln.text)
        if P.COPY_NUMBER.match(text):
            f["份号"] = text
            r.part("份号", text, [ln.no])
        elif P.SECRECY.match(text):
            f["密级和保密期限"] = text
            r.part("密级和保密期限", text, [ln.no])
        elif P.URGENCY.match(text):
            f["紧急程度"] = text
            r.part("紧急程度", text, [ln.no])
        elif m := P.ISSUER_MARK.match(text):
            f.setdefault("_mark", []).append(text)
            f.setdefault("_mark_name", []).append(m["name"])
            r.part("发文机关标志", text, [ln.no])
        else:
            r.unsure.append((ln.no, f"版头中未识别的行“{text}”，未导入（若是发文机关标志，请写成“××文件”）"))


def _number_and_signers(lines: list[Cleaned], number_at: int, r: Recognised) -> None:
    f = r.fields
    num = lines[number_at]
    m = P.DOC_NUMBER.match(tidy_spaces(num.text))
    assert m
    f["_code"], f["_year"], f["_seq"] = m["code"], int(m["year"]), int(m["seq"])
    normal = f"{m['code']}〔{m['year']}〕{int(m['seq'])}号"
    how = (
        ""
        if normal == tidy_spaces(num.text).split("签发人")[0].strip()
        else f"原文写作“{num.text}”，按标准写成六角括号、不补零"
    )
    r.part("发文字号", normal, [num.no], how)
    signers = [m["signers"]] if m["signers"] else []
    i = number_at + 1
    if i < len(lines) and (s := P.SIGNER_LINE.match(tidy_spaces(lines[i].text))):
        signers.append(s["signers"])
        i += 1
    if signers:
        names = [n for s in signers for n in re.split(r"[\s、，,]+", s) if n]
        f["签发人"] = names
        r.part("签发人", "、".join(names), [num.no])
    i = _title_and_recipients(lines, i, r)
    i = _body(lines, i, r)
    _tail(lines, i, r)
    _infer(r)


def _title_and_recipients(lines: list[Cleaned], i: int, r: Recognised) -> int:
    window = lines[i : i + 8]
    colon = next((k for k, ln in enumerate(window) if P.RECIPIENTS_END.search(ln.text) and "。" not in ln.text), None)
    ending = next((k for k, ln in enumerate(window) if tidy_spaces(ln.text).endswith(P.TITLE_ENDINGS)), None)
    if colon is None:
        end = ending if ending is not None else 0
        r.unsure.append((window[0].no if window else None, "未找到主送机关（以“：”结尾的一行），标题之后直接是正文"))
    else:
        end = ending if ending is not None and ending < colon else colon - 1
        if ending is None or ending >= colon:
            r.unsure.append((window[0].no, "标题末尾不是文种（通知、报告、请示等），请核对标题的分行"))
    if end < 0:
        r.unsure.append((window[0].no if window else None, "未找到标题"))
        title_lines: list[Cleaned] = []
    else:
        title_lines = window[: end + 1]
    # Half-width punctuation in a title (（试行）, ，) is set full-width.
    titles = [to_full_width_label(tidy_spaces(ln.text)) for ln in title_lines]
    for ln, title in zip(title_lines, titles, strict=True):
        if title != tidy_spaces(ln.text):
            r.changes.append((ln.no, "标题中的半角标点改为全角", ln.text, title))
    if len(titles) > 3:
        r.unsure.append((title_lines[0].no, f"标题有 {len(titles)} 行，请核对：其中可能有正文或主送"))
    if titles:
        r.fields["标题"] = titles if len(titles) > 1 else titles[0]
        r.part(
            "标题", " / ".join(titles), [ln.no for ln in title_lines], f"{len(titles)} 行" if len(titles) > 1 else ""
        )
    i += len(title_lines)
    if colon is not None:
        rec_lines = window[len(title_lines) : colon + 1]
        text = to_full_width_label("".join(tidy_spaces(ln.text) for ln in rec_lines)).rstrip("：")
        r.fields["主送"] = text
        r.part("主送", text, [ln.no for ln in rec_lines])
        i += len(rec_lines)
    return i


def _date_at(lines: list[Cleaned], k: int) -> re.Match[str] | None:
    m = P.DATE_LINE.match(tidy_spaces(lines[k].text))
    if m and (not m["before"] or _signature_like(m["before"])) and parse_date(m):
        return m
    return None


def _body(lines: list[Cleaned], i: int, r: Recognised) -> int:
    """正文 up to the 附件说明 or the 署名/成文日期; returns the index after the date."""
    end = next((k for k in range(i, len(lines)) if _date_at(lines, k)), None)
    if end is None:
        r.unsure.append((None, "未找到成文日期（如“2012年6月20日”或“二〇一二年六月二十日”）"))
        end = next(
            (
                k
                for k in range(i, len(lines))
                if _is_record_line(lines[k].text) or P.ATTACHMENT_PAGE.match(lines[k].text)
            ),
            len(lines),
        )
        date_k = None
    else:
        date_k = end
    note_k = next(
        (k for k in range(i, end) if (m := P.ATTACHMENT_NOTE.match(lines[k].text)) and m["rest"].strip()), None
    )
    body_end = note_k if note_k is not None else end
    sig_k = None
    date_m = _date_at(lines, date_k) if date_k is not None else None
    if date_k is not None and date_m is not None and not date_m["before"]:
        k = date_k - 1
        if k >= i and (note_k is None or k > note_k) and _signature_like(tidy_spaces(lines[k].text)):
            sig_k = k
            if note_k is None:
                body_end = k
    for ln in lines[i:body_end]:
        level, _, _ = heading_level(ln.text)
        text = tidy_spaces(ln.text)
        r.body.append(Paragraph(ln.no, level, text))
        if level == 0 and P.maybe_heading(text):
            r.unsure.append((ln.no, f"“{text}”没有编号，也不以标点结尾：可能是小标题，已按正文段落导入"))
    if note_k is not None:
        _attachment_note(lines[note_k : (sig_k if sig_k is not None else end)], r)
    if sig_k is not None:
        sig = tidy_spaces(lines[sig_k].text)
        r.fields["署名"] = sig
        r.part("署名", sig, [lines[sig_k].no])
    if date_k is None:
        return end
    m = _date_at(lines, date_k)
    assert m
    date, style = parse_date(m)  # type: ignore[misc]
    if m["before"]:
        r.fields["署名"] = m["before"]
        r.part("署名", m["before"], [lines[date_k].no], "与日期同一行")
    r.fields["成文日期"] = date.isoformat()
    r.fields["日期格式"] = "汉字" if style == "汉字" else "阿拉伯数字"
    r.part(
        "成文日期",
        f"{date.year}年{date.month}月{date.day}日",
        [lines[date_k].no],
        f"原文用{style}：“{tidy_spaces(lines[date_k].text)}”",
    )
    return date_k + 1


def _attachment_note(note_lines: list[Cleaned], r: Recognised) -> None:
    """附件：1. … 2. … (wrapped names continue the one above)."""
    first = P.ATTACHMENT_NOTE.match(note_lines[0].text)
    assert first
    entries: list[tuple[str, int]] = []
    texts = [(first["rest"].strip(), note_lines[0].no)] + [(ln.text, ln.no) for ln in note_lines[1:]]
    for text, no in texts:
        text = tidy_spaces(text)
        item = P.ATTACHMENT_ITEM.match(text)
        if item:
            entries.append((item["name"].strip(), no))
        elif entries:
            entries[-1] = (entries[-1][0] + text, entries[-1][1])
        else:
            entries.append((text, no))
    for name, no in entries:
        name = name.rstrip("。；;，,")
        r.attachment_names.append((name, no))
        r.part("附件说明", name, [no])


def _tail(lines: list[Cleaned], i: int, r: Recognised) -> None:
    """附注, 版记 and 附件 pages, in whichever order the draft has them."""
    f = r.fields
    current: str | None = None  # the 版记 field a continuation line belongs to
    attachment: AttachmentDraft | None = None
    k = i
    while k < len(lines):
        ln = lines[k]
        text = tidy_spaces(ln.text)
        # 附注 keeps a space typed between its items (联系人：王芳  联系电话：…).
        note_text = tidy_spaces(re.sub(r"[ \t\u3000]{2,}", "\u3000", ln.text), keep_alignment=True)
        if attachment is None and (m := P.NOTE.match(to_full_width_label(note_text))) and "附注" not in f:
            f["附注"] = m["text"]
            details = []
            if c := P.CONTACT.search(m["text"]):
                details.append(f"联系人 {c['name']}")
            if p := P.PHONE.search(m["text"]):
                details.append(f"联系电话 {p['phone'].strip()}")
            r.part("附注", m["text"], [ln.no], "，".join(details))
        elif m := P.COPIES_UP.match(text):
            current = "抄报"
            f["_抄报"] = [m["rest"], [ln.no]]
            attachment = None
        elif m := P.COPIES.match(text):
            current = "抄送"
            f["_抄送"] = [m["rest"], [ln.no]]
            attachment = None
        elif m := P.PRINT_LINE.match(text):
            current = None
            attachment = None
            date, _ = parse_date(m) or (None, None)
            f["印发机关"] = m["printer"].strip()
            r.part("印发机关", f["印发机关"], [ln.no])
            if date:
                f["印发日期"] = date.isoformat()
                r.part("印发日期", f"{date.year}年{date.month}月{date.day}日", [ln.no])
        elif m := P.PRINT_COUNT.match(text):
            current = None
            attachment = None
            f["共印份数"] = int(m["n"])
            r.part("共印份数", m["n"], [ln.no])
        elif (m := P.ATTACHMENT_PAGE.match(text)) is not None:
            current = None
            attachment = AttachmentDraft(ln.no, "", [], [], [])
            r.attachments.append(attachment)
        elif current is not None and attachment is None:
            # A wrapped 抄送 line (the names go on without a label).
            f[f"_{current}"][0] += text
            f[f"_{current}"][1].append(ln.no)
        elif attachment is not None:
            attachment.body.append(ln)
        elif not r.attachments and r.attachment_names and k == i:
            # An attachment whose page has no 附件 label follows the date directly.
            attachment = AttachmentDraft(None, "", [], [], [ln])
            r.attachments.append(attachment)
        else:
            r.unsure.append((ln.no, f"成文日期之后未识别的行“{text}”，未导入"))
        k += 1
    for key in ("抄报", "抄送"):
        if f"_{key}" in f:
            text, nos = f.pop(f"_{key}")
            names = _names(text)
            f[key] = names
            r.part(key, "、".join(names), nos, f"{len(names)} 个单位" if len(names) > 1 else "")
    for att in r.attachments:
        _attachment_title(att, r)


def _attachment_title(att: AttachmentDraft, r: Recognised) -> None:
    """The attachment's title lines: those that spell a 附件说明 name, else the first line."""
    names = [re.sub(r"\s", "", n) for n, _ in r.attachment_names]
    joined = ""
    for n, ln in enumerate(att.body[:4], 1):
        joined += re.sub(r"\s", "", ln.text)
        if joined in names:
            att.title_lines = [tidy_spaces(x.text) for x in att.body[:n]]
            att.title_nos = [x.no for x in att.body[:n]]
            att.title = joined
            att.body = att.body[n:]
            return
    if att.body:
        first = att.body.pop(0)
        att.title_lines, att.title_nos, att.title = [tidy_spaces(first.text)], [first.no], tidy_spaces(first.text)
        r.unsure.append((first.no, f"附件标题“{att.title}”与附件说明不一致，按附件页第一行取作标题"))


def _infer(r: Recognised) -> None:
    """发文机关 and 署名 when the draft does not print them (a red header image, a seal)."""
    f = r.fields
    name, how = None, ""
    if f.get("_mark_name"):
        name, how = f["_mark_name"][0], "取自发文机关标志"
    elif f.get("署名"):
        name, how = f["署名"], "取自署名"
    elif f.get("印发机关"):
        printer = f["印发机关"]
        for suffix in P.PRINTER_SUFFIXES:
            if printer.endswith(suffix) and len(printer) > len(suffix):
                name, how = printer[: -len(suffix)], f"由印发机关“{printer}”去掉“{suffix}”推断"
                break
    if name is None:
        name = f["_code"] or "（请填写发文机关）"
        how = "未找到发文机关名称，暂用机关代字，请改正" if f["_code"] else "未找到发文机关名称，请填写"
        r.unsure.append((None, how))
    f["_issuer"] = name
    r.part("发文机关", name, [], how)
    if "署名" not in f:
        f["署名"] = name
        f["印章"] = True
        r.part("署名", name, [], "原文日期上方没有署名（加盖印章的公文），按发文机关补上，并设“印章: true”")
        r.unsure.append((None, f"署名“{name}”是推断的：原文日期上方没有署名，请核对"))
    if "_mark" in f and f["_mark"] != [f"{name}文件"]:
        f["_mark_lines"] = f["_mark"]
