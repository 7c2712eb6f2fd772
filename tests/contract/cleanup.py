"""Removing what a run created on the target: by id, then by the run's name prefix (a create whose answer the
run never read -- an interrupt while it was in flight -- or a campaign fuzzing renamed). Delete; where the target
refuses, archive; what is neither is named in the report (`record.not_removed`), and so is an archived one."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def through_interrupts(steps: Iterable[Callable[[], None]]) -> None:
    """Run every cleanup step even when Ctrl-C arrives during one (it does arrive there: a run spends its end
    cleaning up); the interrupt is raised again once all have run. Each step is a few requests: bounded."""
    interrupted: KeyboardInterrupt | None = None
    for step in steps:
        try:
            step()
        except KeyboardInterrupt as exc:
            interrupted = exc
    if interrupted is not None:
        raise interrupted


def remove(target: Any, cid: str, token: str, record: Any, label: str | None = None) -> None:
    """Delete campaign `cid` (a 404 is gone already); archive it where the delete is refused."""
    label = label or cid
    try:
        response = target.request("DELETE", f"/campaigns/{cid}", token=token)
        if response.is_success or response.status_code == 404:
            return
        archived = target.request("POST", f"/campaigns/{cid}/archive", token=token)
        record.not_removed.append(f"{label}: DELETE answered {response.status_code}"
                                  + ("; archived instead" if archived.is_success
                                     else f"; archive answered {archived.status_code}"))
    except Exception as exc:  # noqa: BLE001 - cleanup must not mask a verdict
        record.not_removed.append(f"{label}: {exc.__class__.__name__}: {exc}")


def sweep(target: Any, token: str, prefix: str, handled: set[str], record: Any, pages: int = 20) -> None:
    """Remove every campaign the token's tenant lists under `prefix` that is not archived and not in
    `handled` (pages of 100, at most `pages` of them)."""
    for _ in range(pages):
        try:
            listed = target.request("GET", "/campaigns", token=token, params={"search": prefix, "limit": 100})
        except Exception as exc:  # noqa: BLE001
            record.not_removed.append(f"campaigns named {prefix}*: listing them failed: {exc.__class__.__name__}")
            return
        rows = [r for r in (listed.json().get("data") or []) if str(r.get("name", "")).startswith(prefix)
                and r.get("authoringStatus") != "archived" and r.get("campaignId") not in handled] \
            if listed.status_code == 200 else []
        if not rows:
            return
        for row in rows:
            handled.add(row["campaignId"])
            remove(target, row["campaignId"], token, record, f"{row['campaignId']} ({row.get('name')})")
