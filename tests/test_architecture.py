"""Import contracts: the layering rule and no cycles, read from the source itself.

`activities/` decides, `storage/` remembers, `bot/` talks to Slack; arrows point down
only. A new module that breaks the rule fails here, in CI, not in review.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from activities.intents import CORE_INTENTS, IntentType
from bot.app import KINDS, build_plugins
from bot.listeners.context import Caller, Sub
from bot.plugin import KindPlugin, PluginError, Plugins

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("activities", "storage", "bot")
SLACK = ("slack_bolt", "slack_sdk")


def _modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            yield name, path


MODULES = dict(_modules())


def _imports(name: str, path: Path, *, top_level_only: bool) -> set[str]:
    """Project modules (and Slack libraries) that `name` imports."""
    tree = ast.parse(path.read_text(), filename=str(path))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
    return found


def _root(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_module_imports_only_downwards(name: str) -> None:
    imported = _imports(name, MODULES[name], top_level_only=False)
    room = _root(name)
    if room == "activities":
        forbidden = {m for m in imported if _root(m) in (*SLACK, "bot")}
    elif room == "storage":
        forbidden = {m for m in imported if _root(m) in (*SLACK, "bot", "activities")}
    else:
        forbidden = set()
    assert not forbidden, f"{name} imports {sorted(forbidden)} (arrows point down only)"


def test_no_function_level_imports_of_project_modules_in_bot() -> None:
    lazy = []
    for name, path in MODULES.items():
        if not name.startswith("bot") or name == "bot.__main__":
            continue
        everywhere = _imports(name, path, top_level_only=False)
        top = _imports(name, path, top_level_only=True)
        lazy += [f"{name} -> {m}" for m in everywhere - top if _root(m) in PACKAGES]
    assert not lazy, lazy


def _cycles() -> list[list[str]]:
    graph = {
        name: sorted(m for m in _imports(name, path, top_level_only=True) if m in MODULES)
        for name, path in MODULES.items()
    }
    # Tarjan's strongly connected components: any with two or more modules is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    assert _cycles() == []


def test_every_declared_intent_type_has_a_renderer() -> None:
    """Walk every `intents` module of every kind: each IntentType in it must be declared by
    its kind and rendered by the plug-in list the app builds."""
    plugins = build_plugins()
    declared = {t.name for t in CORE_INTENTS} | {t.name for p in KINDS for t in p.kind.intents}
    import activities.kinds as kinds_package

    defined: set[str] = set()
    for info in pkgutil.walk_packages(kinds_package.__path__, "activities.kinds."):
        if info.name.endswith(".intents"):
            module = importlib.import_module(info.name)
            defined |= {v.name for v in vars(module).values() if isinstance(v, IntentType)}
    assert defined, "no intent modules found"
    assert defined <= declared, f"defined but not declared by a kind: {defined - declared}"
    assert declared <= set(plugins.renderers), declared - set(plugins.renderers)


def test_a_plugin_whose_intent_has_no_renderer_is_refused_at_start_up() -> None:
    coffee = next(p for p in KINDS if p.kind.name == "coffee")
    broken = KindPlugin(kind=coffee.kind, renderers={})
    with pytest.raises(PluginError, match=r"coffee\.intro"):
        Plugins([broken], core_renderers={}, core_intents=[])


def test_two_plugins_may_not_claim_one_community_word() -> None:
    async def handler(caller: Caller, args: list[str]) -> None:
        return None

    async def other(caller: Caller, args: list[str]) -> None:
        return None

    a, b = (p for p in KINDS if p.kind.name in ("coffee", "breakfast"))
    with pytest.raises(PluginError, match="claimed twice"):
        Plugins(
            [
                KindPlugin(kind=a.kind, renderers=a.renderers, community={"x": Sub(handler)}),
                KindPlugin(kind=b.kind, renderers=b.renderers, community={"x": Sub(other)}),
            ],
            core_renderers={},
            core_intents=[],
            reserved_words=("help",),
        )
