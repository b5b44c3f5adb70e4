"""axe-core (from node_modules, installed by `make browser-deps`) run inside a page."""

from .conftest import AXE_SCRIPT

BLOCKING_IMPACTS = ("serious", "critical")

_RUN_AXE = """async () => {
  // target-size (WCAG 2.2: controls at least 24×24 CSS px) is off in axe by default.
  const result = await axe.run(document, {
    resultTypes: ["violations"],
    rules: {"target-size": {enabled: true}},
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((node) => node.target.join(" ") + " " + node.failureSummary),
  }));
}"""


def serious_accessibility_violations(page):
    """axe-core's serious and critical findings on the page as it is now, readable."""
    assert AXE_SCRIPT.exists(), f"{AXE_SCRIPT} is missing: run `make browser-deps`"
    page.add_script_tag(path=AXE_SCRIPT)
    violations = page.evaluate(_RUN_AXE)
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {'; '.join(v['nodes'])}"
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]
