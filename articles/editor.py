"""The article body's editor: django-prose-editor (ProseMirror/Tiptap), its assets served
from our own static files.

What the editor can make is declared once here; django-prose-editor derives from it both
the toolbar and an nh3 allowlist that cleans the body in the form. The model then cleans
it again with articles/sanitizer.py, the one allowlist for stored HTML, which must keep
everything the editor makes (tests/admin/test_article_editor.py holds the two together).
"""

from django.urls import reverse_lazy
from django_prose_editor.fields import ProseEditorFormField

# The page's <h1> is the headline: the body's headings start at level 2.
HEADING_LEVELS = [2, 3, 4]

BODY_EXTENSIONS = {
    "Heading": {"levels": HEADING_LEVELS},
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "HardBreak": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    # Links open where they are: no target, and only the schemes the allowlist keeps. A
    # click on a link in the editor places the cursor there rather than following it.
    "Link": {
        "enableTarget": False,
        "protocols": ["http", "https", "mailto"],
        "openOnClick": False,
    },
    # Images with alt text and caption (<figure><img><figcaption>). The dialog takes an
    # address; FIGURE_PICKER_URL, when set, adds its "Browse..." button for a library.
    "Figure": True,
    "Image": True,
    "Caption": True,
    # Ours (static/articles/editor-extensions.js): no injected <style>, for the CSP.
    "NoInjectedStyles": True,
}

# What the editor marks up for its own display and the stored HTML does without: the
# figure's class name and an ordered list's data-type (the editor derives them again when
# it loads the body: the list's numbering from its `type`), and the library picker's file
# id. Everything else the editor makes, the allowlist keeps.
EDITOR_ONLY_ATTRIBUTES = {("figure", "class"), ("ol", "data-type"), ("img", "data-file")}

# The hook for the media library: the URL of a page that picks an image and answers the
# editor's "Browse..." button (django-prose-editor's Figure `pickerUrl`, which calls back
# as CKEditor's file browser does): the media library's picker (articles/admin_media.py).
FIGURE_PICKER_URL = "admin:articles_image_picker"


def body_extensions():
    extensions = dict(BODY_EXTENSIONS)
    if FIGURE_PICKER_URL is not None:
        extensions["Figure"] = {"pickerUrl": str(reverse_lazy(FIGURE_PICKER_URL))}
    return extensions


def body_form_field(**kwargs):
    """The body's form field: the editor, and nh3 cleaning to what the editor can make."""
    return ProseEditorFormField(
        config={"extensions": body_extensions()},
        sanitize=True,
        **kwargs,
    )
