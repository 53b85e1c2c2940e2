"""The type stub and the docstrings cover the whole public surface."""

import ast
import inspect
import pathlib

import messenger

STUB = pathlib.Path(messenger.__file__).with_name("__init__.pyi")


def stub_names():
    """Top-level names and, per class, the names defined in its body."""
    tree = ast.parse(STUB.read_text())
    names, members = set(), {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
            members[node.name] = {
                getattr(item, "name", None) or getattr(getattr(item, "target", None), "id", None)
                for item in node.body}
        elif isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names, members


def public_members(cls):
    names = {name for name in vars(cls) if not name.startswith("_")}
    if hasattr(cls, "__members__"):
        names -= {"name", "value"}  # an enum's; the stub inherits them from enum.IntEnum
    return names | ({"__enter__", "__exit__"} & set(vars(cls)))


def test_the_package_ships_py_typed_beside_the_stub():
    assert STUB.is_file()
    assert STUB.with_name("py.typed").is_file()


def test_every_public_name_of_the_module_is_in_the_stub():
    names, _ = stub_names()
    public = {name for name in dir(messenger) if not name.startswith("_")} - {"aio"}
    assert public - names == set()
    assert set(messenger.__all__) - names == set()
    assert "__version__" in names


def test_every_method_and_attribute_of_each_class_is_in_the_stub():
    _, members = stub_names()
    missing = {}
    for name in messenger.__all__:
        cls = getattr(messenger, name)
        if not isinstance(cls, type) or issubclass(cls, BaseException):
            continue
        if gone := public_members(cls) - members[name]:
            missing[name] = gone
    assert missing == {}


def test_every_class_and_method_has_a_docstring():
    undocumented = []
    for name in messenger.__all__:
        cls = getattr(messenger, name)
        if not isinstance(cls, type):
            continue
        if not (cls.__doc__ or "").strip():
            undocumented.append(name)
        if name not in ("Server", "Client"):
            continue
        for member, value in vars(cls).items():
            if callable(value) and not member.startswith("__") or member in (
                    "__init__", "__enter__", "__exit__"):
                doc = inspect.getdoc(value) or ""
                # pybind11 puts the signature first; a description must follow it.
                if len([line for line in doc.splitlines() if line.strip()]) < 2:
                    undocumented.append(f"{name}.{member}")
    assert undocumented == []
