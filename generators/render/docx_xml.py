"""Raw WordprocessingML under the DOCX renderer: property children in schema order.

In: a property container (w:pPr, w:rPr, w:tblPr, w:trPr, w:tcPr, w:sectPr) and the tag
of a child.  Out: that child, found or newly inserted where ECMA-376 Part 1 (wml.xsd)
puts it.  Word refuses a file whose children stand out of order or twice ("unreadable
content"); python-docx keeps the order only for the properties it knows, so every
element the renderer makes by hand goes through ``child``.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

# Children of each container, in schema order (only the containers the renderer fills).
_ORDER: dict[str, list[str]] = {
    "w:pPr": (
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
        "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
        "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
        "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ).split(),
    "w:rPr": (
        "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
        "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr "
        "shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath rPrChange"
    ).split(),
    "w:tblPr": (
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
        "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange"
    ).split(),
    "w:trPr": (
        "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden "
        "ins del trPrChange"
    ).split(),
    "w:tcPr": (
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark "
        "headers cellIns cellDel cellMerge tcPrChange"
    ).split(),
    "w:sectPr": (
        "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
        "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings "
        "sectPrChange"
    ).split(),
    "w:pBdr": "top left bottom right between bar".split(),
    "w:tblBorders": "top left bottom right insideH insideV".split(),
    "w:tcBorders": "top left bottom right insideH insideV tl2br tr2bl".split(),
    "w:tblCellMar": "top left bottom right".split(),
}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _prefixed(el: etree._Element) -> str:
    return "w:" + el.tag[len(_W) :] if isinstance(el.tag, str) and el.tag.startswith(_W) else ""


def child(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """The child ``tag`` (e.g. "w:snapToGrid") of ``parent``, made and put in schema
    order if missing; ``attrs`` (w: attributes, without the prefix) are set on it."""
    container = _prefixed(parent)
    order = _ORDER[container]
    name = tag.split(":", 1)[1]
    rank = order.index(name)  # a ValueError here is a renderer bug: not a child of that container
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        later = [c for c in parent if _prefixed(c)[2:] in order and order.index(_prefixed(c)[2:]) > rank]
        if later:
            later[0].addprevious(found)
        else:
            parent.append(found)
    for key, value in attrs.items():
        found.set(qn(f"w:{key}"), value)
    return found
