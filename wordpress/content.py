"""Turning a WordPress post body into the HTML an article holds.

WordPress stores what the editor typed and formats it on every page view (block
comments, the more tag, shortcodes, automatic paragraphs). We do that once, at import;
Article.save() then applies the editorial sanitiser as for any other body.
"""

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.html import escape, strip_tags

_MORE = re.compile(r"<!--more(.*?)?-->", re.DOTALL)
_NOTEASER = re.compile(r"<!--noteaser-->")
# Block delimiters; one newline on each side belongs to the delimiter, as the block
# editor writes them, so stripping them leaves the block's own HTML as it was.
_BLOCK_COMMENT = re.compile(r"\n?<!--\s+/?wp:.*?-->\n?", re.DOTALL)

# Shortcodes as WordPress's get_shortcode_regex() finds them, for any name:
# [name attrs], [name attrs /], [name attrs]content[/name], and [[escaped]].
_SHORTCODE = re.compile(
    r"\[(\[?)"  # 1: opening bracket of an escaped [[shortcode]]
    r"([A-Za-z][\w-]*)"  # 2: name
    r"(?![\w-])"
    r"([^\]/]*(?:/(?!\])[^\]/]*)*?)"  # 3: attributes
    r"(?:(/)\]"  # 4: self-closing
    r"|\](?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?)"  # 5: enclosed content
    r"(\]?)",  # 6: closing bracket of an escaped shortcode
    re.DOTALL,
)
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_CAPTIONED_IMAGE = re.compile(r"((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", re.I | re.S)


@dataclass
class ConvertedPost:
    body: str
    teaser: str = ""
    # Shortcodes we have no equivalent for, by name, dropped from the body.
    dropped_shortcodes: Counter = field(default_factory=Counter)


def convert_post_content(content: str) -> ConvertedPost:
    """A WordPress post_content as HTML with paragraphs, figures, no shortcodes.

    Block-editor posts have their block comments removed and are otherwise left alone
    (WordPress does not run wpautop on them either); classic posts get wpautop.
    The text before <!--more--> is returned as the teaser.
    """
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    content = _NOTEASER.sub("", content)
    teaser = ""
    more = _MORE.search(content)
    if more:
        teaser = content[: more.start()]
        content = content[: more.start()] + content[more.end() :]

    has_blocks = "<!-- wp:" in content
    converted = ConvertedPost(body="")
    content = _BLOCK_COMMENT.sub("", content) if has_blocks else content
    content = _replace_shortcodes(content, converted.dropped_shortcodes)
    converted.body = content if has_blocks else wpautop(content)
    if teaser:
        teaser = _replace_shortcodes(_BLOCK_COMMENT.sub("", teaser), Counter())
        converted.teaser = plain_text(teaser)
    return converted


def plain_text(markup: str) -> str:
    """HTML (a title, an excerpt) as the plain text our templates escape on output."""
    if "<" not in markup and "&" not in markup:
        return " ".join(markup.split())
    return " ".join(html.unescape(strip_tags(markup)).split())


def _attributes(text):
    return {m[1].lower(): m[2] or m[3] or m[4] or "" for m in _ATTRIBUTE.finditer(text or "")}


def _replace_shortcodes(content, dropped):
    if "[" not in content:
        return content

    def replace(match):
        if match[1] and match[6]:
            # [[name]] is how WordPress writes a literal [name].
            return match[0][1:-1]
        name = match[2].lower()
        if name in ("caption", "wp_caption"):
            return _caption(_attributes(match[3]), match[5] or "")
        if name == "embed" and match[5]:
            url = match[5].strip()
            return f'\n\n<p><a href="{escape(url)}">{escape(url)}</a></p>\n\n'
        dropped[name] += 1
        return match[1] + match[6]

    return _SHORTCODE.sub(replace, content)


def escape_shortcodes(html_text: str) -> str:
    """Brackets that WordPress would read as a shortcode, written as its literal [[...]]."""
    if "[" not in html_text:
        return html_text
    return _SHORTCODE.sub(lambda m: m[0] if m[1] and m[6] else f"[{m[0]}]", html_text)


def _caption(attributes, content):
    """[caption]<img> Text[/caption] as <figure><img><figcaption>Text</figcaption></figure>."""
    caption = attributes.get("caption", "")
    if not caption:
        found = _CAPTIONED_IMAGE.match(content.strip())
        if found:
            content, caption = found[1], found[2].strip()
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{content.strip()}{figcaption}</figure>"


# --- wpautop -------------------------------------------------------------------------
# The steps of WordPress's wpautop() (wp-includes/formatting.php), so classic posts get
# the paragraphs their readers saw.

_ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
_TAG_OR_COMMENT = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)


def _protect_newlines_in_tags(text):
    """Newlines inside a tag are not line breaks; hide them from the paragraph rules."""
    return _TAG_OR_COMMENT.sub(lambda m: m[0].replace("\n", " <!-- wpnl --> "), text)


def wpautop(text: str, br: bool = True) -> str:
    """Blank-line-separated text as <p> paragraphs, single newlines as <br />."""
    if not text.strip():
        return ""
    pre_tags = {}
    text += "\n"
    if "<pre" in text:
        parts = text.split("</pre>")
        last = parts.pop()
        text = ""
        for index, part in enumerate(parts):
            start = part.find("<pre")
            if start == -1:
                text += part
                continue
            placeholder = f"<pre wp-pre-tag-{index}></pre>"
            pre_tags[placeholder] = part[start:] + "</pre>"
            text += part[:start] + placeholder
        text += last

    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = re.sub(r"(<" + _ALLBLOCKS + r"[\s/>])", r"\n\n\1", text)
    text = re.sub(r"(</" + _ALLBLOCKS + r">)", r"\1\n\n", text)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    text = _protect_newlines_in_tags(text)
    if "<option" in text:
        text = re.sub(r"\s*<option", "<option", text)
        text = re.sub(r"</option>\s*", "</option>", text)
    if "</object>" in text:
        text = re.sub(r"(<object[^>]*>)\s*", r"\1", text)
        text = re.sub(r"\s*</object>", "</object>", text)
        text = re.sub(r"\s*(</?(?:param|embed)[^>]*>)\s*", r"\1", text)
    if "<source" in text or "<track" in text:
        text = re.sub(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*", r"\1", text)
        text = re.sub(r"\s*([<\[]/(?:audio|video)[>\]])", r"\1", text)
        text = re.sub(r"\s*(<(?:source|track)[^>]*>)\s*", r"\1", text)
    if "<figcaption" in text:
        text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = re.sub(r"</figcaption>\s*", "</figcaption>", text)

    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p]
    text = "".join("<p>" + p.strip("\n") + "</p>\n" for p in paragraphs)

    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)", r"\1", text)
    text = re.sub(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>", r"\1", text)

    if br:
        text = re.sub(
            r"<(script|style|svg|math).*?</\1>",
            lambda m: m[0].replace("\n", "<WPPreserveNewline />"),
            text,
            flags=re.DOTALL,
        )
        text = re.sub(r"<br>|<br/>", "<br />", text)
        text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
        text = text.replace("<WPPreserveNewline />", "\n")

    text = re.sub(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)
    for placeholder, original in pre_tags.items():
        text = text.replace(placeholder, original)
    if "<!-- wpnl -->" in text:
        text = text.replace(" <!-- wpnl --> ", "\n").replace("<!-- wpnl -->", "\n")
    return text
