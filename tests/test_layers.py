"""Imports flow one way: wordpress → comments → articles → pagecache → newsroom.

A lower layer never imports a higher one, not even inside a function: the page cache knows
no model, articles know nothing of comments, and so on (see STYLE.md, "Architecture").
"""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Lowest first: each may import the ones before it, never the ones after.
LAYERS = ["newsroom", "pagecache", "articles", "comments", "wordpress"]


def imported_packages(path, root=REPO):
    """(line, top-level package) for every import in the module at `path` under `root`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    module_parts = path.relative_to(root).with_suffix("").parts
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: inside the module's own package tree
                yield node.lineno, module_parts[0]
            else:
                yield node.lineno, node.module.split(".")[0]


def modules_of(package):
    return sorted(path for path in (REPO / package).rglob("*.py") if "migrations" not in path.parts)


@pytest.mark.parametrize("package", LAYERS)
def test_no_layer_imports_a_higher_one(package):
    higher = set(LAYERS[LAYERS.index(package) + 1 :])
    wrong = [
        f"{path.relative_to(REPO)}:{line} imports {imported}"
        for path in modules_of(package)
        for line, imported in imported_packages(path)
        if imported in higher
    ]
    assert wrong == []


def test_the_check_finds_absolute_relative_and_late_imports(tmp_path):
    module = tmp_path / "articles" / "late.py"
    module.parent.mkdir()
    module.write_text(
        "import pagecache.fragments\n"
        "from .models import Article\n"
        "def later():\n"
        "    from comments.models import Comment\n"
    )

    found = list(imported_packages(module, root=tmp_path))

    assert found == [(1, "pagecache"), (2, "articles"), (4, "comments")]
