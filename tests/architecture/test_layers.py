"""Layers that point one way: no module imports a module of a higher layer.

The layer map is declared here, once (docs/ARCHITECTURE.md explains it). A module belongs to the
layer of the longest prefix that names it. Every import is read with ``ast`` (those inside
functions too: a lazy import is still a dependency); migrations and tests are left out.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The domain layers, lowest first. Modules of one layer may import each other.
LAYERS = [
    # The kit: scope machinery, text folding, cells, search, pages. Imports no app.
    ["trainingmgr"],
    # Users, their scope row and roles, the personal-data log.
    ["accounts"],
    # Where a row came from: import batches and their change log.
    ["provenance"],
    # The one job mechanism: the Job row, progress and heartbeat, start/run/finish, the
    # kind → task registry. A job may name the import batch it made.
    ["jobs"],
    # People, agencies, localities, ranks, baselines.
    ["cadres"],
    # Programmes, targets, courses, enrolments, tallies.
    ["courses"],
    # Features on courses: plans and approved periods, certificates, evaluations.
    ["plans", "certificates", "evaluations"],
    # The spreadsheet engine: it writes every domain app and honours plans' locks.
    ["imports"],
    # Readers of everything: reports (page, downloads, JSON, dashboard), the API, history.
    ["reports", "api", "history"],
    # Demo data, filled through every app.
    ["demo"],
]
# An app's interface (its admin, export resources, template tags, views, commands, app
# config) sits above the whole domain, in the same order as the apps: the cadre admin may use
# the course models, but the course admin may not use the certificates' admin.
INTERFACE = {"admin", "audit_admin", "resources", "templatetags", "views", "urls", "apps"}
INTERFACE |= {"management", "api"}
# Background task modules are entry points of the worker, as commands are of the shell.
INTERFACE |= {"tasks"}
# Modules placed by hand: the admin kit is the interface of the people (it exports through
# their resources); the project's wiring is the top.
PLACED = {
    "trainingmgr.admin_kit": ("interface", "cadres"),
    "trainingmgr.admin_ux": ("interface", "cadres"),
    # The users' admin pages are built with the admin kit.
    "accounts.admin": ("interface", "cadres"),
    "accounts.audit_admin": ("interface", "cadres"),
    "accounts.apps": ("interface", "cadres"),
    "trainingmgr.urls": ("top", None),
    "trainingmgr.settings": ("top", None),
    "trainingmgr.wsgi": ("top", None),
}

# Known upward imports still to remove, each with its reason: none left (round 4 moved the
# masking rule, the job mechanism, the plans sheet kind and the import's lock check). The test
# fails on any upward import; an entry added here must still occur (so the list only shrinks).
KNOWN = set()


def _app_rank(app):
    for rank, apps in enumerate(LAYERS):
        if app in apps:
            return rank
    return None


def layer_of(module):
    """The rank of a module: domain layers first, then the interfaces, then the top."""
    parts = module.split(".")
    for prefix, (tier, app) in PLACED.items():
        if module == prefix or module.startswith(prefix + "."):
            if tier == "top":
                return 2 * len(LAYERS)
            return len(LAYERS) + _app_rank(app)
    rank = _app_rank(parts[0])
    if rank is None:
        return None
    if len(parts) > 1 and parts[1] in INTERFACE:
        return len(LAYERS) + rank
    return rank


def project_modules():
    for path in sorted(ROOT.glob("*/**/*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[0] in {"tests", "scripts", "bench", "docs"} or parts[0].startswith("."):
            continue
        if "migrations" in parts or layer_of(parts[0]) is None:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


def imported(module, path):
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}" if base else alias.name
                path_of = ROOT / candidate.replace(".", "/")
                is_module = path_of.with_suffix(".py").exists() or path_of.is_dir()
                yield (candidate if is_module else base), node.lineno


def upward_imports():
    found = {}
    for module, path in project_modules():
        own = layer_of(module)
        for target, line in imported(module, path):
            rank = layer_of(target)
            if rank is not None and rank > own:
                found.setdefault((module, target), f"{path.relative_to(ROOT)}:{line}")
    return found


def test_the_layer_map_names_every_app():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert {app for app in apps if layer_of(app) is None} == set()


def test_no_module_imports_a_higher_layer():
    found = upward_imports()
    unexpected = {edge: where for edge, where in found.items() if edge not in KNOWN}
    assert unexpected == {}


def test_the_known_exceptions_still_exist():
    assert KNOWN - set(upward_imports()) == set()


@pytest.mark.parametrize("module", ["cadres.models", "courses.models", "plans.models"])
def test_the_domain_points_at_provenance_not_at_the_engine(module):
    path = ROOT / (module.replace(".", "/") + ".py")
    targets = {target for target, _line in imported(module, path)}
    assert "provenance.models" in targets
    assert not {t for t in targets if t == "imports" or t.startswith("imports.")}
