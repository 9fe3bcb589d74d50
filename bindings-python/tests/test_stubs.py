"""The .pyi stubs must describe the modules as they are: same public names, same function and
method signatures (parameter names, kinds and which have defaults), same attributes."""

import ast
import inspect
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

import delcredere
from delcredere import _delcredere

PACKAGE = Path(delcredere.__file__).resolve().parent


def _stub(name: str) -> ast.Module:
    return ast.parse((PACKAGE / name).read_text(encoding="utf-8"))


def _public(name: str) -> bool:
    return not name.startswith("_") or name == "__version__"


def _top_level_names(tree: ast.Module) -> Set[str]:
    names: Set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return {n for n in names if _public(n)}


Shape = List[Tuple[str, str, bool]]


def _stub_shape(fn: ast.FunctionDef) -> Shape:
    a = fn.args
    shape: Shape = []
    positional = a.posonlyargs + a.args
    first_default = len(positional) - len(a.defaults)
    for i, arg in enumerate(positional):
        kind = "POSITIONAL_ONLY" if i < len(a.posonlyargs) else "POSITIONAL_OR_KEYWORD"
        shape.append((arg.arg, kind, i >= first_default))
    if a.vararg:
        shape.append((a.vararg.arg, "VAR_POSITIONAL", False))
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        shape.append((arg.arg, "KEYWORD_ONLY", default is not None))
    if a.kwarg:
        shape.append((a.kwarg.arg, "VAR_KEYWORD", False))
    return shape


def _runtime_shape(obj: object) -> Shape:
    params = inspect.signature(obj).parameters.values()  # type: ignore[arg-type]
    return [(p.name, p.kind.name, p.default is not inspect.Parameter.empty) for p in params]


def _is_classmethod(fn: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "classmethod" for d in fn.decorator_list)


@pytest.mark.parametrize(
    "stub_file, module, runtime_names",
    [
        ("__init__.pyi", delcredere, set(delcredere.__all__)),
        ("_delcredere.pyi", _delcredere, {n for n in dir(_delcredere) if _public(n)}),
    ],
    ids=["delcredere", "delcredere._delcredere"],
)
def test_stub_matches_module(stub_file, module, runtime_names) -> None:
    tree = _stub(stub_file)
    assert _top_level_names(tree) == runtime_names
    for name in runtime_names:
        assert hasattr(module, name), f"{module.__name__}.__all__ names missing {name}"
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            assert _stub_shape(node) == _runtime_shape(getattr(module, node.name)), node.name
        elif isinstance(node, ast.ClassDef):
            _check_class(node, getattr(module, node.name))


def _check_class(node: ast.ClassDef, cls: type) -> None:
    methods: Dict[str, ast.FunctionDef] = {
        n.name: n for n in node.body if isinstance(n, ast.FunctionDef)
    }
    attributes = {
        n.target.id
        for n in node.body
        if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
    }
    if getattr(cls, "__total__", None) is not None:  # a TypedDict
        assert attributes == set(cls.__annotations__), cls.__name__
        return
    base = Exception if issubclass(cls, BaseException) else object
    runtime_methods = {
        n
        for n in dir(cls)
        if _public(n) and n not in dir(base) and callable(getattr(cls, n))
    }
    assert {m for m in methods if _public(m)} == runtime_methods, cls.__name__
    for name, fn in methods.items():
        stub = _stub_shape(fn)[1:]  # without self / cls
        if name == "__init__" and getattr(cls, "__init__") is object.__init__:
            # A native class made by __new__: its constructor's signature is the class's.
            assert stub == _runtime_shape(cls), f"{cls.__name__}.{name}: stub {stub}"
            continue
        runtime = _runtime_shape(getattr(cls, name))
        if not _is_classmethod(fn):
            runtime = runtime[1:]  # a plain function looked up on the class still has self
        assert stub == runtime, f"{cls.__name__}.{name}: stub {stub} != runtime {runtime}"
    if hasattr(cls, "_fields"):
        assert attributes == set(cls._fields), cls.__name__
    elif issubclass(cls, BaseException):
        instance = cls("message")
        for attribute in attributes:
            assert hasattr(instance, attribute), f"{cls.__name__}.{attribute}"


def test_package_is_marked_typed() -> None:
    assert (PACKAGE / "py.typed").is_file()
