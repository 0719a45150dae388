"""The route × role matrix of the running design, as Markdown:
``python -m lantern.auth.matrix`` prints the table ``docs/security.md`` shows.
It reads the same ``ACCESS`` tables the route × role test checks."""

from __future__ import annotations

import importlib

from lantern.auth.roles import ROLES, allows


def design() -> dict[tuple[str, str], str]:
    """Every route's permission: FastAPI's own routes and each router module's ``ACCESS``."""
    from lantern.web.app import ROUTERS
    from lantern.web.security import FRAMEWORK_ACCESS

    table = dict(FRAMEWORK_ACCESS)
    for module_path in ROUTERS:
        try:
            module = importlib.import_module(module_path)
        except ModuleNotFoundError:
            continue
        table.update(getattr(module, "ACCESS", {}))
    return table


def markdown() -> str:
    head = "| route | permission | " + " | ".join(ROLES) + " | signed out |"
    rule = "|---|---|" + "---|" * (len(ROLES) + 1)
    lines = [head, rule]
    for (method, path), permission in sorted(design().items(), key=lambda kv: (kv[0][1], kv[0][0])):
        cells = ["✔" if allows(role, permission) else "·" for role in ROLES]
        signed_out = (
            "✔" if permission == "public" else ("401" if path.startswith("/api/") else "→ /login")
        )
        lines.append(
            f"| `{method} {path}` | {permission} | " + " | ".join(cells) + f" | {signed_out} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
