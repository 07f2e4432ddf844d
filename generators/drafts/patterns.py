"""Patterns of Chinese official drafts, as data.

Every rule the importer applies that is a pattern (numbering styles, labels of the
版记, residue and noise lines, date forms) is a table here, so a clerk's office can
extend them without touching the recognisers.  Built from GB/T 9704-2012 and the
conventions of 公文 writing, not from the words of any one document.
"""

from __future__ import annotations

import re

CJK = r"\u3400-\u9fff\uf900-\ufaff"
LETTERS = r"A-Za-z\uff21-\uff3a\uff41-\uff5a"  # 机关代字 may hold Latin letters (full- or half-width)
CN_DIGIT = "〇一二三四五六七八九十零两"
# Characters typed for the zero of Chinese numerals (○ U+25CB, Ｏ, O, 0, ０, 零).
ZERO_LOOKALIKES = "○◯ＯOo0０零"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PARENTHESISED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"

# (level, style, pattern): the numbering of headings (GB/T 9704 7.3.3 and common use).
# The style names are those of the plan format's 编号 (三级 1. / 1、, 四级 （1） / ⑴ / ①);
# "1 " (a number and spaces) is typed by hand and is read as level 3.
NUMBERING: list[tuple[int, str, re.Pattern[str]]] = [
    (1, "一、", re.compile(rf"^[{CN_DIGIT}]{{1,3}}[、，,.．]\s*")),
    (2, "（一）", re.compile(rf"^[（(][{CN_DIGIT}]{{1,3}}[）)][、,，.．]?\s*")),
    (4, "（1）", re.compile(r"^[（(][0-9０-９]{1,2}[）)][、,，.．]?\s*")),
    (4, "⑴", re.compile(rf"^[{PARENTHESISED}][、,，.．]?\s*")),
    (4, "①", re.compile(rf"^[{CIRCLED}][、,，.．]?\s*")),
    (3, "1、", re.compile(r"^[0-9０-９]{1,2}、\s*")),
    # "1." but not a decimal (1.5倍) or a date (2012.6.20).
    (3, "1.", re.compile(r"^[0-9０-９]{1,2}[.．](?![0-9０-９])\s*")),
    # "1 开展技术交流": a number, spaces, then a hanzi (not "2012年", not "15 000").
    (3, "1 ", re.compile(rf"^[0-9]{{1,2}}[ \u3000\t]+(?=[{CJK}“《])")),
]

# 发文字号: 机关代字 + year in brackets (〔〕, [], ［］, 【】, （）) + sequence + 号.
DOC_NUMBER = re.compile(
    rf"^(?P<code>[{CJK}{LETTERS}]{{1,16}}?)\s*[〔\[［【(（]\s*(?P<year>(?:19|20)\d\d)\s*[〕\]］】)）]"
    rf"\s*第?\s*(?P<seq>\d{{1,5}})\s*号"
    rf"(?:\s*签发人\s*[:：]\s*(?P<signers>.+))?$"
)
SIGNER_LINE = re.compile(r"^签发人\s*[:：]\s*(?P<signers>.+)$")
SECRECY = re.compile(r"^(绝密|机密|秘密)(★.*)?$")
URGENCY = re.compile(r"^(特急|加急|特提|平急)$")
COPY_NUMBER = re.compile(r"^\d{6}$")
# A line of the 发文机关标志: an organ name ending in 文件 (or the name alone, which
# cannot be told from a title line, so only the 文件 form is taken).
ISSUER_MARK = re.compile(rf"^(?P<name>[{CJK}{LETTERS}（）()、]{{2,40}}?)文件$")

# 文种 words a title ends with (《党政机关公文处理工作条例》 and common attachments).
TITLE_ENDINGS = (
    "通知", "通报", "报告", "请示", "批复", "意见", "决定", "函", "纪要", "公告", "通告", "决议",
    "命令", "令", "议案", "公报", "方案", "办法", "规定", "计划", "要点", "总结", "责任书", "细则",
)  # fmt: skip

# The 文种 of 《党政机关公文处理工作条例》: a draft with no 发文字号 is still read as a
# 公文 when its title ends in one of these and a 主送 line follows.
DOCUMENT_KINDS = (
    "通知", "通报", "报告", "请示", "批复", "意见", "决定", "函", "纪要", "公告", "通告", "决议",
    "命令", "令", "议案", "公报",
)  # fmt: skip

# Labels of the 版记 and the lines around it.  "：" may be typed half-width.
COLON = r"\s*[:：]\s*"
RECIPIENTS_END = re.compile(r"[:：]$")
ATTACHMENT_NOTE = re.compile(rf"^附\s*件{COLON}(?P<rest>.*)$")
ATTACHMENT_ITEM = re.compile(r"^(?P<n>[0-9０-９]{1,2})\s*[.．、]\s*(?P<name>.+)$")
ATTACHMENT_PAGE = re.compile(r"^附\s*件\s*(?P<n>[0-9０-９]{0,2})\s*[:：]?$")
COPIES_UP = re.compile(rf"^抄\s*报{COLON}(?P<rest>.*)$")
COPIES = re.compile(rf"^抄\s*送{COLON}(?P<rest>.*)$")
PRINT_COUNT = re.compile(r"^[（(]?\s*共\s*印\s*[:：]?\s*(?P<n>\d{1,6})\s*份\s*[）)]?[。.]?$")
NOTE = re.compile(r"^[（(](?P<text>.*(?:联系人|联系电话|电话|此件|传真|邮箱).*)[）)]$")
CONTACT = re.compile(r"联系人\s*[:：]?\s*(?P<name>[^，,；;：:\s）)]+)")
PHONE = re.compile(r"(?:联系电话|电话)\s*[:：]?\s*(?P<phone>[0-9０-９\-－—（）() ]{5,})")
LIST_SEPARATORS = re.compile(r"[，,、；;]")
# How the names of organs end: an undated plan's last line that ends so is its 制定单位.
ORGAN_NAME = re.compile(
    rf"^[{CJK}（）()]{{2,30}}(院|所|局|委|委员会|中心|站|办|办公室|部|厅|处|科|室|集团|政府|学校|协会)$"
)
# Suffixes of the office that prints a document for its issuer (印发机关 → 发文机关).
PRINTER_SUFFIXES = ("办公室", "办公厅", "秘书处", "秘书科", "综合处", "综合科", "文电处")
# 成文日期: Arabic or Chinese numerals.
ARABIC_DATE = r"(?P<ay>(?:19|20)\d\d)\s*年\s*(?P<am>\d{1,2})\s*月\s*(?P<ad>\d{1,2})\s*日"
CHINESE_DATE = (
    rf"(?P<cy>[{CN_DIGIT}{ZERO_LOOKALIKES}]{{4}})\s*年\s*(?P<cm>[{CN_DIGIT}]{{1,3}})\s*月"
    rf"\s*(?P<cd>[{CN_DIGIT}]{{1,3}})\s*日"
)
DATE_LINE = re.compile(rf"^(?P<before>.*?)\s*(?:{ARABIC_DATE}|{CHINESE_DATE})$")
PRINT_LINE = re.compile(rf"^(?P<printer>.+?)\s+{ARABIC_DATE}\s*印\s*发$")

# Page-number and field-code residue that Word or a PDF leaves in copied text.
RESIDUE: list[tuple[str, re.Pattern[str]]] = [
    ("页码残留", re.compile(r"^[-—－–~～\s]*\d{1,4}[-—－–~～\s]*$")),
    ("页码残留", re.compile(r"^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$")),
    ("Word 域代码残留", re.compile(r"^(PAGE|NUMPAGES|SECTIONPAGES|MERGEFORMAT|\\\*\s*MERGEFORMAT)(\s+\S+)*\s*$")),
    ("分隔线", re.compile(r"^[-—－_＿=＝*＊·.。…\s]{3,}$")),
]
# Web noise around pasted text: a line carrying one of these and not numbered.
NOISE = re.compile(
    r"本站|小编|仅供参考|欢迎阅读|收藏|期刊网|范文|精选\s*[(（]|第\s*\d+\s*篇\s*[:：]|"
    r"点击|下载|阅读全文|更多精彩|版权所有|copyright|https?://|www\.",
    re.IGNORECASE,
)

# Half-width punctuation typed in labels and numbering that the standard sets full-width.
LABEL_PUNCTUATION = str.maketrans({":": "：", "(": "（", ")": "）", ",": "，", ";": "；"})
# A line starting with one of these continues the line before (a hard wrap).
NO_LINE_START = "，。、；：？！）》”’≤≥＜＞<>%‰％"
# Sentence ends after which a heading's text starts on the same line.
SENTENCE_END = "。！？"
MAX_TITLE_CHARS = 25  # a heading longer than this before its first 。 is body text
# Closing formulas of a body (not headings, though short and unpunctuated).
CLOSINGS = re.compile(
    r"^(特此(通知|通报|报告|请示|函告|批复|公告|通告)|妥否，?请批示|请(认真)?贯彻(执行|落实)|以上意见.*)$"
)


def maybe_heading(text: str) -> bool:
    """A short unnumbered line without end punctuation: a heading typed without its
    number, or a one-line paragraph (the importer keeps it as text and asks)."""
    return len(text) <= 20 and not re.search(r"[。！？；：:，,、）)]$", text) and not CLOSINGS.match(text)


# Titles of a plan section that holds the evaluation indicators.
INDICATOR_SECTION = re.compile(r"(评价|考核|评估|考评)?指标")
# A target after an indicator name: ≥95%, 达100%, 达到85%以上, 控制在4‰以下, ≤15/10万;
# a range whole (控制在20%～30%, 20至30%之间), never its upper bound alone.
TARGET = re.compile(
    r"(?P<target>(?:≥|≤|>|<|＞|＜|不低于|不高于|不超过|低于|高于|达到|达|控制在)?\s*"
    r"(?:\d+(?:\.\d+)?\s*(?:%|％|‰|/10万)?\s*(?:～|~|〜|-|—|–|至|到)\s*)?"
    r"\d+(?:\.\d+)?\s*(?:%|％|‰|/10万|/万)(?:以上|以下|以内|之间)?)"
)
AMONG = re.compile(r"[,，]\s*其中")
# Between the targets of one line that names several (…以内、婴儿死亡率…).
TARGET_SEPARATORS = "、，,；;"
# A plan title: a line naming a plan (work plan, 工作要点, 实施方案).
PLAN_TITLE = re.compile(r"(计划|要点|方案)$")
# A responsibility book's title (recognised, but not converted: see the report).
BOOK_TITLE = re.compile(r"责任书$")
