"""What changed between two revisions of an article, for editors to read.

Revisions themselves are kept by django-reversion (registered by the article admin, which
records every save with its user; the publish and unpublish actions add theirs). This
module only compares: the headline, the standfirst and the body, line by line and, within
a changed line, word by word. Everything is returned as plain text pieces; the template
escapes them like any other text.
"""

import difflib
import re
from dataclasses import dataclass, field

COMPARED_FIELDS = [("title", "Headline"), ("standfirst", "Standfirst"), ("body", "Body")]

# The body is HTML on one line or a few: one line per block makes a diff editors can read.
_BLOCK_END = re.compile(
    r"(</(?:p|h[1-6]|li|ul|ol|blockquote|figure|figcaption|pre|table|tr|dl|dt|dd)>|<br\s*/?>|<hr\s*/?>)",
    re.IGNORECASE,
)
_WORDS = re.compile(r"<[^>]*>|\s+|\w+|[^\w\s]")
# Below this likeness, an old and a new line are shown removed and added, not as an edit.
_EDITED_LINE_LIKENESS = 0.5


@dataclass
class Piece:
    """A run of text: unchanged, removed ("del") or added ("ins")."""

    text: str
    change: str = ""


@dataclass
class Line:
    """One line of the comparison: "same", "del" (only in the old), "ins" (only in the
    new) or "changed" (both, with the words that differ marked in `pieces`)."""

    kind: str
    pieces: list[Piece] = field(default_factory=list)


@dataclass
class FieldChange:
    name: str
    label: str
    changed: bool
    lines: list[Line]


def block_lines(text):
    """The text split into lines, HTML one block element a line."""
    text = _BLOCK_END.sub(lambda match: match.group(1) + "\n", text or "")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _word_diff(old, new):
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    pieces = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("".join(old_words[i1:i2]), "del"))
        if j2 > j1:
            pieces.append(Piece("".join(new_words[j1:j2]), "ins"))
    return pieces


def compare_text(old, new):
    """The lines of `old` and `new` as one comparison."""
    old_lines, new_lines = block_lines(old), block_lines(new)
    lines = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(Line("same", [Piece(text)]) for text in old_lines[i1:i2])
        else:
            lines.extend(_replaced(old_lines[i1:i2], new_lines[j1:j2]))
    return lines


def _replaced(old_lines, new_lines):
    """Lines replaced by others: each old line with the new one in its place, as an edit
    (the words that changed marked) when the two are alike, else removed and added."""
    lines = []
    for before, after in zip(old_lines, new_lines, strict=False):
        likeness = difflib.SequenceMatcher(a=before, b=after, autojunk=False).ratio()
        if likeness >= _EDITED_LINE_LIKENESS:
            lines.append(Line("changed", _word_diff(before, after)))
        else:
            lines.append(Line("del", [Piece(before, "del")]))
            lines.append(Line("ins", [Piece(after, "ins")]))
    shared = min(len(old_lines), len(new_lines))
    lines.extend(Line("del", [Piece(text, "del")]) for text in old_lines[shared:])
    lines.extend(Line("ins", [Piece(text, "ins")]) for text in new_lines[shared:])
    return lines


def compare_versions(old_fields, new_fields):
    """The headline, standfirst and body of two revisions (their `field_dict`s) compared."""
    changes = []
    for name, label in COMPARED_FIELDS:
        old, new = old_fields.get(name) or "", new_fields.get(name) or ""
        changes.append(FieldChange(name, label, old != new, compare_text(old, new)))
    return changes
