"""Comparisons of what a target shows with what the model holds, each tied to its requirement ids.

Only what the documents define is compared exactly (statuses, bindings, template, schedule intent,
states). Counts are checked by their documented properties, never by value: how many records an
audience reaches is the target's business.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from state_machine.apis.experiture_v1.model import views
from state_machine.apis.experiture_v1.model.execution import execution_state
from state_machine.apis.experiture_v1.model.reach import reach_status
from state_machine.apis.experiture_v1.model.records import Campaign, World
from state_machine.apis.experiture_v1.model.values import COUNT_NAMES, EXECUTION_STATES, PIPELINE
from state_machine.conformance.recheck import Earlier, Finding, Same, Test
from state_machine.kernel.times import parse_timestamp


def _same_instant(a: Any, b: Any) -> bool:
    pa, pb = parse_timestamp(a), parse_timestamp(b)
    return a == b if pa is None or pb is None else pa == pb


def compare_summary(world: World, campaign: Campaign, instants: tuple[datetime, ...], actual: dict,
                    *, timing_known: bool, tenant_zone_known: bool) -> list[Finding]:
    """The summary (003) against the model's campaign."""
    found: list[Finding] = []
    expected = views.summary(world, campaign, instants[-1])

    def differ(reqs: tuple[str, ...], what: str, want: Any, got: Any, test: Test) -> None:
        found.append(Finding(reqs, f"summary {what}: expected {want!r}, got {got!r}", (test,)))

    for key, reqs in (("authoringStatus", ("CAMP-LIFE-001", "CAMP-LIFE-007", "CAMP-LIFE-008")),
                      ("channel", ("CAMP-CHAN-001",)), ("campaignType", ("CAMP-TYPE-001",))):
        if actual.get(key) != expected[key]:
            differ(reqs, key, expected[key], actual.get(key), Test((key,), "==", expected[key]))
    for side in ("included", "excluded"):
        want = sorted((b["id"], b["type"]) for b in expected["audience"][side])
        got = sorted((b.get("id"), b.get("type")) for b in (actual.get("audience") or {}).get(side) or [])
        if want != got:
            differ(("CAMP-AUD-001", "CAMP-AUD-010"), f"audience.{side}", want, got,
                   Test(("audience", side), "==", [list(pair) for pair in want], view="bindings"))
    want_t = (expected["content"]["template"] or {}).get("id")
    got_t = ((actual.get("content") or {}).get("template") or {}).get("id")
    if want_t != got_t:
        differ(("CAMP-CONT-001",), "content.template.id", want_t, got_t,
               Test(("content", "template", "id"), "==", want_t))
    found += _compare_schedule(expected["schedule"], actual.get("schedule"), tenant_zone_known)
    reach = ((actual.get("audience") or {}).get("reach") or {}).get("status")
    if timing_known:
        allowed = {reach_status(world, campaign, t) for t in instants}
        if allowed & {"pending"}:
            allowed.add("idle")  # 002 leaves open whether a fresh binding shows idle before pending
        if reach not in allowed:
            differ(("CAMP-REACH-001", "CAMP-REACH-007"), "audience.reach.status", sorted(allowed), reach,
                   Test(("audience", "reach", "status"), "in", sorted(allowed)))
    state = (actual.get("latestExecution") or {}).get("status")
    if timing_known:
        allowed_states = {execution_state(campaign.job, t) for t in instants}
        if state not in allowed_states:
            differ(("CAMP-EXEC-002", "CAMP-EXEC-003", "CAMP-EXEC-004", "CAMP-EXEC-005"),
                   "latestExecution.status", sorted(allowed_states), state,
                   Test(("latestExecution", "status"), "in", sorted(allowed_states)))
    elif campaign.job is None and state != "not_scheduled":
        differ(("CAMP-EXEC-002",), "latestExecution.status", "not_scheduled", state,
               Test(("latestExecution", "status"), "==", "not_scheduled"))
    return found


def _compare_schedule(want: dict | None, got: Any, tenant_zone_known: bool) -> list[Finding]:
    reqs = ("CAMP-SCHED-012", "CAMP-SCHED-013", "CAMP-SCHED-014")
    if want is None:
        return [] if got is None else [Finding(("CAMP-SCHED-019",), f"summary schedule: expected null, got {got!r}",
                                               (Test(("schedule",), "==", None),))]
    if not isinstance(got, dict):
        return [Finding(reqs, f"summary schedule: expected {want!r}, got {got!r}",
                        (Test(("schedule", "mode"), "==", want.get("mode")),))]
    found = []
    for key in ("mode", "batchDate"):
        if want.get(key) != got.get(key):
            found.append(Finding(reqs, f"summary schedule.{key}: expected {want.get(key)!r}, got {got.get(key)!r}",
                                 (Test(("schedule", key), "==", want.get(key)),)))
    if "kind" in got and got["kind"] != want["kind"]:
        found.append(Finding(reqs, f"summary schedule.kind: expected {want['kind']!r}, got {got['kind']!r}",
                             (Test(("schedule", "kind"), "in", [want["kind"], None]),)))
    if want.get("sendAt") is not None and not _same_instant(want["sendAt"], got.get("sendAt")):
        found.append(Finding(("CAMP-SCHED-014",),
                             f"summary schedule.sendAt: expected {want['sendAt']}, got {got.get('sendAt')}",
                             (Test(("schedule", "sendAt"), "==", want["sendAt"], view="instant"),)))
    resolved_by_tenant = want.get("timezoneSource") in ("tenant_default", "utc_fallback")
    if not (resolved_by_tenant and not tenant_zone_known):
        if want.get("timezone") != got.get("timezone"):
            found.append(Finding(("CAMP-TZ-001", "CAMP-TZ-002", "CAMP-TZ-003", "CAMP-TZ-004", "CAMP-TZ-005"),
                                 f"summary schedule.timezone: expected {want.get('timezone')!r}, "
                                 f"got {got.get('timezone')!r}", (Test(("schedule", "timezone"), "==",
                                                                       want.get("timezone")),)))
        if "timezoneSource" in want and got.get("timezoneSource") != want["timezoneSource"]:
            found.append(Finding(("CAMP-TZ-003", "CAMP-TZ-004", "CAMP-TZ-005"),
                                 f"summary schedule.timezoneSource: expected {want['timezoneSource']!r}, "
                                 f"got {got.get('timezoneSource')!r}",
                                 (Test(("schedule", "timezoneSource"), "==", want["timezoneSource"]),)))
    return found


def count_findings(where: str, counts: Any, previous: dict[str, int] | None) -> list[Finding]:
    """003's pipeline: six non-negative integers, non-increasing along the pipeline; over time none of
    them decreases (a later read of the same execution never shows fewer records)."""
    if counts is None:
        return []
    whole = tuple(Test((k,), ">=", 0) for k in COUNT_NAMES)  # six numbers >= 0 (None fails the comparison)
    if not isinstance(counts, dict) or not set(COUNT_NAMES) <= set(counts):  # open world: extra keys are fine
        return [Finding(("CAMP-EXEC-006",), f"{where} counts: expected the keys {sorted(COUNT_NAMES)}, got {counts!r}",
                        whole)]
    found = []
    if any(not isinstance(counts[k], int) or counts[k] < 0 for k in COUNT_NAMES):
        found.append(Finding(("CAMP-EXEC-006",), f"{where} counts must be integers >= 0: {counts}", whole))
        return found
    for a, b in zip(PIPELINE, PIPELINE[1:], strict=False):
        if counts[b] > counts[a]:
            found.append(Finding(("CAMP-EXEC-007",), f"{where} counts increase along the pipeline: {a}={counts[a]} < "
                                                     f"{b}={counts[b]}", (Test((b,), "<=", Same((a,))),)))
    if counts["failed"] > counts["scheduled"]:
        found.append(Finding(("CAMP-EXEC-007",),
                             f"{where} counts: failed {counts['failed']} > scheduled {counts['scheduled']}",
                             (Test(("failed",), "<=", Same(("scheduled",))),)))
    if previous:
        fell = [k for k in COUNT_NAMES if counts[k] < previous.get(k, 0)]
        if fell:
            found.append(Finding(("CAMP-EXEC-007",), f"{where} counts decreased over time: {previous} then {counts}",
                                 tuple(Test((k,), ">=", Earlier((k,))) for k in fell)))
    return found


def compare_status(world: World, campaign: Campaign, instants: tuple[datetime, ...], actual: dict,
                   *, timing_known: bool) -> list[Finding]:
    found: list[Finding] = []
    state = (actual.get("execution") or {}).get("state")
    if state not in EXECUTION_STATES:
        found.append(Finding(("CAMP-EXEC-001",), f"status execution.state {state!r} is not one of {EXECUTION_STATES}",
                             (Test(("execution", "state"), "in", list(EXECUTION_STATES)),)))
    elif timing_known:
        allowed = {execution_state(campaign.job, t) for t in instants}
        if state not in allowed:
            found.append(Finding(("CAMP-EXEC-002", "CAMP-EXEC-003", "CAMP-EXEC-004", "CAMP-EXEC-005"),
                                 f"status execution.state: expected {sorted(allowed)}, got {state!r}",
                                 (Test(("execution", "state"), "in", sorted(allowed)),)))
    elif campaign.job is None and state != "not_scheduled":
        found.append(Finding(("CAMP-EXEC-002",), f"status execution.state: expected 'not_scheduled', got {state!r}",
                             (Test(("execution", "state"), "==", "not_scheduled"),)))
    if actual.get("authoringStatus") != campaign.authoring_status:
        found.append(Finding(("CAMP-LIFE-007", "CAMP-LIFE-008"), f"status authoringStatus: expected "
                             f"{campaign.authoring_status!r}, got {actual.get('authoringStatus')!r}",
                             (Test(("authoringStatus",), "==", campaign.authoring_status),)))
    return found


STATE_ORDER = {s: i for i, s in enumerate(EXECUTION_STATES[:4])} | {"completed": 4, "failed": 4}


def state_regressed(before: str | None, after: str | None) -> bool:
    """003: execution only moves forward; completed and failed are terminal."""
    if before is None or after is None or before not in STATE_ORDER or after not in STATE_ORDER:
        return False
    if before in ("completed", "failed"):
        return after != before
    return STATE_ORDER[after] < STATE_ORDER[before]


def compare_object(campaign: Campaign, actual: Any) -> list[Finding]:
    """A campaign object a 2xx answer carried (000's categories and lifecycle, 002, 001)."""
    if not isinstance(actual, dict):
        return [Finding(("CAMP-ENV-002",), f"expected a campaign object, got {actual!r}",
                        (Test(("authoringStatus",), "==", campaign.authoring_status),))]
    found: list[Finding] = []
    if actual.get("authoringStatus") != campaign.authoring_status:
        found.append(Finding(("CAMP-LIFE-001", "CAMP-LIFE-007", "CAMP-LIFE-008", "CAMP-ARCH-002"),
                             f"authoringStatus: expected {campaign.authoring_status!r}, "
                             f"got {actual.get('authoringStatus')!r}",
                             (Test(("authoringStatus",), "==", campaign.authoring_status),)))
    if actual.get("channel") != campaign.channel:
        found.append(Finding(("CAMP-CHAN-001",), f"channel: expected {campaign.channel!r}, got {actual.get('channel')!r}",
                             (Test(("channel",), "==", campaign.channel),)))
    category = (actual.get("settings") or {}).get("category")
    if category != campaign.category:
        found.append(Finding(("CAMP-CAT-001", "CAMP-CAT-002", "CAMP-CAT-003"),
                             f"settings.category: expected {campaign.category!r}, got {category!r}",
                             (Test(("settings", "category"), "==", campaign.category),)))
    tags = actual.get("tags")
    if not isinstance(tags, list) or campaign.category not in tags:
        found.append(Finding(("CAMP-CAT-004",), f"tags must contain the category {campaign.category!r}: {tags!r}",
                             (Test(("tags",), "has", campaign.category),)))
    return found


def exercised(campaign: Campaign) -> tuple[str, ...]:
    """The requirements a read-back of this campaign (summary, status, metrics) puts to the test."""
    ids = ["CAMP-LIFE-001", "CAMP-CHAN-001", "CAMP-TYPE-001", "CAMP-EXEC-001", "CAMP-EXEC-002", "CAMP-EXEC-006",
           "CAMP-OBS-002"]
    if campaign.include:
        ids += ["CAMP-AUD-001", "CAMP-AUD-010", "CAMP-REACH-001", "CAMP-REACH-003", "CAMP-REACH-007"]
    if campaign.template_id:
        ids += ["CAMP-CONT-001"]
    if campaign.schedule is None:
        ids += ["CAMP-SCHED-019"]
    else:
        ids += ["CAMP-SCHED-012" if campaign.schedule.kind == "digital_send" else "CAMP-SCHED-013", "CAMP-SCHED-014"]
        ids += {"request": ["CAMP-TZ-003"], "tenant_default": ["CAMP-TZ-004"],
                "utc_fallback": ["CAMP-TZ-005"]}.get(campaign.schedule.timezone_source or "", ["CAMP-TZ-001"])
    if campaign.job is not None:
        ids += ["CAMP-LIFE-007" if campaign.job.kind == "send" else "CAMP-LIFE-008", "CAMP-EXEC-003",
                "CAMP-EXEC-004", "CAMP-EXEC-005", "CAMP-EXEC-007", "CAMP-EXEC-008"]
    else:
        ids += ["CAMP-OBS-012"]
    return tuple(ids)


def _bindings(entries: Any) -> list[tuple[Any, Any]]:
    return sorted((b.get("id"), b.get("type")) for b in entries or [] if isinstance(b, dict))


def compare_full_object(world: World, campaign: Campaign, now: datetime, actual: Any) -> list[Finding]:
    """A campaign object read back after a write (getCampaign): every field a write sets shows the model's
    value (000's PATCH, 002's full replacement of the audience, 001's content and schedule)."""
    if not isinstance(actual, dict):
        return [Finding(("CAMP-OBS-001",), f"getCampaign: expected a campaign object, got {actual!r}",
                        (Test(("authoringStatus",), "==", campaign.authoring_status),))]
    found = [Finding(f.reqs, f"getCampaign {f.message}", f.tests) for f in compare_object(campaign, actual)]
    expected = views.campaign_object(world, campaign, now)
    for key, reqs in (("name", ("CAMP-META-001",)), ("description", ("CAMP-META-001", "CAMP-META-004")),
                      ("tags", ("CAMP-META-004", "CAMP-CAT-004"))):
        want, got = expected[key], actual.get(key)
        if (sorted(want) if key == "tags" else want) != (sorted(got) if key == "tags" and isinstance(got, list) else got):
            found.append(Finding(reqs, f"getCampaign {key}: expected {want!r}, got {got!r}",
                                 (Test((key,), "==", want, view="sorted" if key == "tags" else None),)))
    for side in ("included", "excluded"):
        want_b = _bindings(expected["audience"][side])
        got_b = _bindings((actual.get("audience") or {}).get(side))
        if want_b != got_b:
            found.append(Finding(("CAMP-AUD-001", "CAMP-AUD-002", "CAMP-AUD-010"),
                                 f"getCampaign audience.{side}: expected {want_b}, got {got_b}",
                                 (Test(("audience", side), "==", [list(b) for b in want_b], view="bindings"),)))
    want_t = (expected["content"]["template"] or {}).get("id")
    got_t = ((actual.get("content") or {}).get("template") or {}).get("id")
    if want_t != got_t:
        found.append(Finding(("CAMP-CONT-001",), f"getCampaign content.template.id: expected {want_t!r}, got {got_t!r}",
                             (Test(("content", "template", "id"), "==", want_t),)))
    return found


def compare_list_row(campaign: Campaign, needle: str, rows: list[Any]) -> list[Finding]:
    """A campaign's row in the list of the run's campaigns (search=`needle`, one page: `rows`), read back
    after a write. The tests find the row by its campaignId, wherever a replay lists it."""
    row = next((r for r in rows if isinstance(r, dict) and r.get("campaignId") == campaign.id), None)
    listed = campaign.deleted_at is None and needle.casefold() in campaign.name.casefold()
    if not listed:
        return [] if row is None or campaign.deleted_at is None else \
            [Finding(("CAMP-LIST-015",), f"list: the deleted campaign {campaign.id} is still listed",
                     (Test((), "lacks", campaign.id, view="pluck:campaignId"),))]
    if row is None:
        return [Finding(("CAMP-LIST-001", "CAMP-LIST-009", "CAMP-LIST-015"),
                        f"list: campaign {campaign.id} ({campaign.name!r}) is missing from the list",
                        (Test((), "has", campaign.id, view="pluck:campaignId"),))]
    expected = views.list_item(campaign)
    found = []
    for key in ("name", "authoringStatus", "channel", "category", "tags"):
        want, got = expected[key], row.get(key)
        if key == "tags" and isinstance(got, list):
            want, got = sorted(want), sorted(got)
        if want != got:
            reqs = ("CAMP-META-001", "CAMP-LIST-014") if key in ("name", "category", "tags") else \
                ("CAMP-LIST-014", "CAMP-LIFE-007", "CAMP-LIFE-008")
            found.append(Finding(reqs, f"list row of {campaign.id} {key}: expected {want!r}, got {got!r}",
                                 (Test(({"campaignId": campaign.id}, key), "==", want,
                                       view="sorted" if key == "tags" else None),)))
    return found


def high_water(where: str, counts: Any, seen: dict[str, int]) -> list[Finding]:
    """003: the counts of one execution never decrease over time, whichever view shows them (status,
    summary, metrics): each read is compared with the highest value any earlier read showed, then raises it."""
    if not isinstance(counts, dict) or not all(isinstance(v, int) for v in counts.values()):
        return []
    fell = {k: (seen[k], v) for k, v in counts.items() if k in seen and v < seen[k]}
    for k, v in counts.items():
        seen[k] = max(v, seen.get(k, v))
    if fell:
        # Re-checked against the high-water values themselves: a replay reads the same views in turn.
        return [Finding(("CAMP-EXEC-007",), f"{where} counts decreased over time: " +
                        ", ".join(f"{k} {a} then {b}" for k, (a, b) in sorted(fell.items())),
                        tuple(Test((k,), ">=", a) for k, (a, _) in sorted(fell.items())))]
    return []
