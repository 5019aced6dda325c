"""Terraform configuration as plain Python data, for structural assertions without providers.

`terraform validate` needs the AWS provider plugin, which CI cannot download; python-hcl2 parses
the HCL offline. This module turns its output into one `Module` per directory (resources, data
sources, locals, variables, outputs, module calls and checkov skip comments), with HCL string
literals unquoted: `"abc"` becomes `abc`, an expression stays `${...}`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2

REPO = Path(__file__).resolve().parents[2]
TERRAFORM = REPO / "terraform"

CHECKOV_SKIP = re.compile(r"^checkov:skip=(?P<check>[A-Z0-9_]+)(?::(?P<reason>.*))?$")


def unquote(value: Any) -> Any:
    """Strip python-hcl2's quoting from keys and string literals, recursively; drop markers."""
    if isinstance(value, str):
        if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
            return value[1:-1]
        return value
    if isinstance(value, list):
        return [unquote(item) for item in value]
    if isinstance(value, dict):
        return {
            unquote(key): unquote(item)
            for key, item in value.items()
            if key not in ("__is_block__", "__comments__", "__inline_comments__")
        }
    return value


def comments(value: Any) -> list[str]:
    """Every comment python-hcl2 attached anywhere inside a parsed block."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("__comments__", "__inline_comments__"):
                found.extend(entry["value"] for entry in item if isinstance(entry, dict))
            else:
                found.extend(comments(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(comments(item))
    return found


@dataclass
class Block:
    """One resource, data source, module call, variable or output."""

    kind: str
    type: str
    name: str
    body: dict[str, Any]
    file: Path
    comments: list[str]

    @property
    def address(self) -> str:
        return f"{self.file.relative_to(REPO)}: {self.kind} {self.type} {self.name}".replace("  ", " ")


@dataclass
class Module:
    """The configuration of one directory."""

    path: Path
    resources: list[Block] = field(default_factory=list)
    data: list[Block] = field(default_factory=list)
    modules: list[Block] = field(default_factory=list)
    variables: dict[str, Block] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Any] = field(default_factory=dict)
    terraform: list[dict[str, Any]] = field(default_factory=list)

    def of_type(self, resource_type: str) -> list[Block]:
        return [block for block in self.resources if block.type == resource_type]

    def data_of_type(self, data_type: str) -> list[Block]:
        return [block for block in self.data if block.type == data_type]

    def resolve_local(self, value: Any) -> Any:
        """`${local.x}` becomes the expression of local x (one level)."""
        if isinstance(value, str):
            match = re.fullmatch(r"\$\{local\.([A-Za-z0-9_]+)\}", value)
            if match and match.group(1) in self.locals:
                return self.locals[match.group(1)]
        return value


def add_file(module: Module, path: Path, raw: dict[str, Any]) -> None:
    for entry in raw.get("resource", []):
        for resource_type, named in entry.items():
            for name, body in named.items():
                module.resources.append(
                    Block("resource", unquote(resource_type), unquote(name), unquote(body), path, comments(body))
                )
    for entry in raw.get("data", []):
        for data_type, named in entry.items():
            for name, body in named.items():
                module.data.append(Block("data", unquote(data_type), unquote(name), unquote(body), path, comments(body)))
    for entry in raw.get("module", []):
        for name, body in entry.items():
            module.modules.append(Block("module", "", unquote(name), unquote(body), path, comments(body)))
    for entry in raw.get("variable", []):
        for name, body in entry.items():
            module.variables[unquote(name)] = Block("variable", "", unquote(name), unquote(body), path, comments(body))
    for entry in raw.get("output", []):
        for name, body in entry.items():
            module.outputs[unquote(name)] = Block("output", "", unquote(name), unquote(body), path, comments(body))
    for entry in raw.get("locals", []):
        module.locals.update(unquote(entry))
    module.terraform.extend(unquote(raw.get("terraform", [])))


def load_module(directory: Path) -> Module:
    module = Module(directory)
    for path in sorted(directory.glob("*.tf")):
        add_file(module, path, hcl2.loads(path.read_text()))
    return module


def module_from_text(text: str, name: str = "fixture.tf") -> Module:
    """A module parsed from HCL text: the tests' counter-examples."""
    path = TERRAFORM / name
    module = Module(path.parent)
    add_file(module, path, hcl2.loads(text))
    return module


def load_tfvars(path: Path) -> dict[str, Any]:
    return unquote(hcl2.loads(path.read_text()))


def module_dirs() -> list[Path]:
    return sorted(path for path in (TERRAFORM / "modules").iterdir() if path.is_dir())


def root_dirs() -> list[Path]:
    """The configurations that compose modules: environments and examples."""
    roots = [*(TERRAFORM / "environments").iterdir(), *(TERRAFORM / "examples").iterdir()]
    return sorted(path for path in roots if path.is_dir())


def all_dirs() -> list[Path]:
    return module_dirs() + root_dirs()
