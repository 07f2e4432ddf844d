"""Child order of WordprocessingML property containers, from ECMA-376 Part 1 (wml.xsd,
transitional): Word rejects a file whose children stand out of these sequences
("unreadable content"), LibreOffice and python-docx are lenient.

Each entry lists the children of one container in schema order; every one of them may
occur at most once unless it is in REPEATABLE.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_RPR_BASE = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
    "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs "
    "em lang eastAsianLayout specVanish oMath"
)
_PPR_BASE = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
    "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle"
)
_BORDERS = "top left start bottom right end insideH insideV"

SEQUENCES: dict[str, str] = {
    # CT_PPr = CT_PPrBase + rPr (CT_ParaRPr), sectPr, pPrChange (17.3.1.26)
    "pPr": _PPR_BASE + " rPr sectPr pPrChange",
    # CT_RPr / CT_ParaRPr: tracked-change marks, EG_RPrBase, rPrChange (17.3.2.28, 17.3.1.29)
    "rPr": "ins del moveFrom moveTo " + _RPR_BASE + " rPrChange",
    # CT_TblPr = CT_TblPrBase + tblPrChange (17.4.60)
    "tblPr": (
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
        "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange"
    ),
    # CT_TrPr: the base is a choice in the schema; written in this order, once each (17.4.82)
    "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc "
    "hidden ins del trPrChange",
    # CT_TcPr = CT_TcPrInner + tcPrChange (17.4.70)
    "tcPr": (
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark "
        "headers cellIns cellDel cellMerge tcPrChange"
    ),
    # CT_SectPr: header/footer references, EG_SectPrContents, sectPrChange (17.6.17)
    "sectPr": (
        "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
        "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings "
        "sectPrChange"
    ),
    "pBdr": "top left start bottom right end between bar",
    "tblBorders": _BORDERS,
    "tcBorders": _BORDERS + " tl2br tr2bl",
    "tblCellMar": "top left start bottom right end",
    "tcMar": "top left start bottom right end",
    "tbl": "bookmarkStart bookmarkEnd tblPr tblGrid tr",
    "tr": "tblPrEx trPr tc",
    "docDefaults": "rPrDefault pPrDefault",
    "style": (
        "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat locked "
        "personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr"
    ),
    "settings": (
        "writeProtection view zoom removePersonalInformation removeDateAndTime doNotDisplayPageBoundaries "
        "displayBackgroundShape printPostScriptOverText printFractionalCharacterWidth printFormsData "
        "embedTrueTypeFonts embedSystemFonts saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
        "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
        "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate linkStyles "
        "stylePaneFormatFilter stylePaneSortMethod documentType mailMerge revisionView trackRevisions "
        "doNotTrackMoves doNotTrackFormatting documentProtection autoFormatOverride styleLockTheme "
        "styleLockQFSet defaultTabStop autoHyphenation consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps "
        "showEnvelope summaryLength clickAndTypeStyle defaultTableStyle evenAndOddHeaders bookFoldRevPrinting "
        "bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing drawingGridVerticalSpacing "
        "displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin "
        "drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData noPunctuationKerning "
        "characterSpacingControl printTwoOnOne strictFirstAndLastChars noLineBreaksAfter noLineBreaksBefore "
        "savePreviewPicture doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent "
        "alwaysShowPlaceholderText doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving saveThroughXslt "
        "showXMLTags alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat docVars "
        "rsids mathPr attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats "
        "doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType schemaLibrary "
        "shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator"
    ),
}
# Children that may repeat (maxOccurs > 1 in the schema).
REPEATABLE: dict[str, set[str]] = {
    "sectPr": {"headerReference", "footerReference"},
    "tbl": {"bookmarkStart", "bookmarkEnd", "tr"},
    "tr": {"tc"},
    "style": {"tblStylePr"},
    "settings": {"activeWritingStyle", "attachedSchema", "smartTagType"},
}
# Containers whose first children are fixed and whose content follows (w:p, w:r, w:tc, w:body).
LEADING: dict[str, tuple[str, ...]] = {"p": ("pPr",), "r": ("rPr",), "tc": ("tcPr",)}
TRAILING: dict[str, tuple[str, ...]] = {"body": ("sectPr",)}


@dataclass(frozen=True)
class OrderFault:
    part: str
    path: str  # the element's position, e.g. /w:document/w:body/w:tbl[3]/w:tblPr
    problem: str


def _local(tag: object) -> str | None:
    if not isinstance(tag, str) or not tag.startswith(f"{{{W}}}"):
        return None
    return tag.split("}", 1)[1]


def check_element(el: etree._Element) -> list[str]:
    """What is wrong with one element's children (empty: nothing)."""
    name = _local(el.tag)
    children = [c for c in (_local(child.tag) for child in el) if c is not None]
    problems = []
    if name in SEQUENCES:
        order = SEQUENCES[name].split()
        rank = {child: i for i, child in enumerate(order)}
        last = -1
        seen: set[str] = set()
        for child in children:
            if child not in rank:
                problems.append(f"w:{child} is not a child of w:{name}")
                continue
            if rank[child] < last:
                problems.append(f"w:{child} after w:{order[last]}")
            if child in seen and child not in REPEATABLE.get(name, set()):
                problems.append(f"w:{child} twice")
            seen.add(child)
            last = max(last, rank[child])
    for child_name in LEADING.get(name or "", ()):
        if child_name in children[1:]:
            problems.append(f"w:{child_name} not first")
    for child_name in TRAILING.get(name or "", ()):
        if child_name in children[:-1]:
            problems.append(f"w:{child_name} not last")
    return problems


def check_docx(path: Path) -> list[OrderFault]:
    """Every ordering fault in a DOCX's WordprocessingML parts."""
    faults = []
    with zipfile.ZipFile(path) as z:
        for part in z.namelist():
            if not part.startswith("word/") or not part.endswith(".xml"):
                continue
            root = etree.fromstring(z.read(part))
            tree = root.getroottree()
            for el in root.iter():
                for problem in check_element(el):
                    faults.append(OrderFault(part, tree.getpath(el), problem))
    return faults
