"""Build the API reference (``make docs``): the package and its flow-language module, with pdoc, into a directory.

``python docs/build.py OUTPUT_DIRECTORY``. pdoc as it is, with these changes:

- this project's template (``docs/templates``): a public class shows the members it inherits from a private base
  class of this package (``AgentTransferFlow.from_default``, ``contact_flow_arn``, ...), which pdoc leaves out, and
  does not name that base; the package lists the other documented modules below it (``flow_language``);
- pdoc reads a ``:param name: text`` field's name up to the line's last colon, so ``(default: none)`` or an ARN in
  the text would swallow it: the text moves to the next line, where it reads the same;
- the build fails on a public name without a docstring, as on any pdoc warning.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import re
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pdoc
import pdoc.doc
import pdoc.docstrings
import pdoc.render

#: What the reference documents: the package (every public name is in its ``__all__``) and the flow language.
MODULES = ("cdk_connect_quickconnect", "cdk_connect_quickconnect.flow_language")
TEMPLATES = Path(__file__).resolve().parent / "templates"
PACKAGE = MODULES[0]

_FIELD_TEXT = re.compile(r"^(:(?:param|raises)[ ]+[\w*]+:)[ ]+(?=\S)", re.MULTILINE)
_pdoc_rst = pdoc.docstrings.rst


def _rst(contents: str, source_file: Path | None) -> str:
    return _pdoc_rst(_FIELD_TEXT.sub(r"\1\n    ", contents), source_file)


def is_public(member: pdoc.doc.Doc, module: pdoc.doc.Module, in_class: bool) -> bool:
    """Whether pdoc's template shows ``member`` (of ``module``, or of a class of it)."""
    if member.name == "__init__":  # pdoc shows a constructor with a docstring or with arguments
        return isinstance(member, pdoc.doc.Function) and bool(
            member.docstring or member.signature_without_self.parameters
        )
    if not in_class and module.obj.__dict__.get("__all__") is not None:
        return member.name in module.obj.__all__
    return not member.name.startswith("_")


def shown_members(cls: pdoc.doc.Class) -> Iterator[pdoc.doc.Doc]:
    """A class's members as the template shows them: its own, and those of private base classes of this package.

    An interface (a Protocol) has no constructor to show.
    """
    for member in cls.members.values():
        if member.name == "__init__" and getattr(cls.obj, "_is_protocol", False):
            continue
        module, qualname = member.taken_from
        owner = qualname.rpartition(".")[0]
        if module.startswith(PACKAGE) and (owner == cls.qualname or owner.split(".")[-1].startswith("_")):
            yield member


def shown(
    modules: list[pdoc.doc.Module],
) -> Iterator[tuple[pdoc.doc.Module, pdoc.doc.Class | None, pdoc.doc.Doc]]:
    """Each documented name: its module, its class (None for a module's own), and its documentation."""
    for module in modules:
        for member in module.members.values():
            if not is_public(member, module, in_class=False):
                continue
            yield module, None, member
            if isinstance(member, pdoc.doc.Class):
                for child in shown_members(member):
                    if is_public(child, module, in_class=True):
                        yield module, member, child


def undocumented(modules: list[pdoc.doc.Module]) -> list[str]:
    """Every name the reference shows without a docstring.

    An enum's members are its values, documented by the enum; a dataclass's constructor is its fields, each checked.
    """
    found = []
    for module, cls, member in shown(modules):
        if cls is not None and issubclass(cls.obj, enum.Enum):
            continue
        if cls is not None and member.name == "__init__" and dataclasses.is_dataclass(cls.obj):
            continue
        if not member.docstring.strip():
            found.append(f"{module.modulename}.{member.qualname}")
    return found


def configure() -> None:
    """Set pdoc up as the reference is built (the tests read the same documentation model).

    The package imports each public name on first use; pdoc looks a name of ``__all__`` up in the module's
    namespace, so every one is imported first.
    """
    package = importlib.import_module(MODULES[0])
    for name in package.__all__:
        getattr(package, name)
    pdoc.docstrings.rst = _rst
    pdoc.render.configure(docformat="restructuredtext", template_directory=TEMPLATES)


def build(output_directory: Path) -> None:
    """Write the reference to ``output_directory``.

    It fails on any pdoc warning (a name that does not resolve, say) and on a public name without a docstring.
    """
    configure()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        missing = undocumented([pdoc.doc.Module.from_name(name) for name in MODULES])
        if missing:
            raise SystemExit("Public names without a docstring:\n  " + "\n  ".join(missing))
        pdoc.pdoc(*MODULES, output_directory=output_directory)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
