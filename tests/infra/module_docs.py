"""Inputs and outputs tables of each module README, generated from variables.tf and outputs.tf.

The tables sit between `<!-- BEGIN_TF_DOCS -->` and `<!-- END_TF_DOCS -->`, as terraform-docs
writes them (terraform-docs itself is not installable from the registries CI reaches).
`make tf-docs` rewrites them; tests/infra fails when a README is out of date.

    python tests/infra/module_docs.py [--write]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from terraform_model import TERRAFORM, Module, load_module, module_dirs

BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"


HEREDOC = re.compile(r"^<<-?(?P<tag>[A-Z]+)\n(?P<text>.*)\n\s*(?P=tag)\s*$", re.DOTALL)


def cell(text: str) -> str:
    """Markdown table cell: one line, pipes escaped; a heredoc keeps its lines as <br>."""
    heredoc = HEREDOC.match(str(text))
    if heredoc:
        lines = [re.sub(r"\s+", " ", line).strip() for line in heredoc.group("text").splitlines()]
        return "<br>".join(line for line in lines if line).replace("|", "\\|")
    return re.sub(r"\s+", " ", str(text)).strip().replace("|", "\\|")


def type_text(raw: str) -> str:
    return cell(raw.removeprefix("${").removesuffix("}"))


def default_text(body: dict) -> str:
    if "default" not in body:
        return "required"
    default = body["default"]
    if default is None:
        return "`null`"
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    if isinstance(default, str):
        return f'`"{default}"`'
    return f"`{cell(default).replace(chr(39), chr(34))}`"


def render(module: Module) -> str:
    lines = [BEGIN, "## Inputs", "", "| Name | Description | Type | Default |", "|---|---|---|---|"]
    for name, variable in module.variables.items():
        body = variable.body
        lines.append(f"| `{name}` | {cell(body['description'])} | `{type_text(body['type'])}` | {default_text(body)} |")
    lines += ["", "## Outputs", "", "| Name | Description |", "|---|---|"]
    for name, output in module.outputs.items():
        lines.append(f"| `{name}` | {cell(output.body['description'])} |")
    lines.append(END)
    return "\n".join(lines)


def section(readme: str) -> str:
    start, end = readme.index(BEGIN), readme.index(END) + len(END)
    return readme[start:end]


def readme_path(directory: Path) -> Path:
    return directory / "README.md"


def main(write: bool) -> int:
    stale = []
    for directory in module_dirs():
        readme = readme_path(directory).read_text()
        expected = render(load_module(directory))
        if section(readme) != expected:
            stale.append(directory.relative_to(TERRAFORM))
            if write:
                readme_path(directory).write_text(readme.replace(section(readme), expected))
    for path in stale:
        print(f"{'rewrote' if write else 'stale'}: {path}/README.md")
    return 0 if write or not stale else 1


if __name__ == "__main__":
    sys.exit(main("--write" in sys.argv[1:]))
