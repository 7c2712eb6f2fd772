"""List the surviving mutants of a mutmut run as one-line diffs (used by scripts/mutation_test.sh).

    python scripts/mutation_survivors.py .mutation/<api>    # reads results.txt and mutants/, prints a TSV

Reads the mutated sources mutmut writes (mutants/<path>.py holds x_<fn>__mutmut_orig and each
x_<fn>__mutmut_<n>), so no `mutmut show` per mutant is needed.
"""
from __future__ import annotations

import ast
import difflib
import re
import sys
from pathlib import Path


def functions(path: Path) -> dict[str, str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and "__mutmut_" in node.name:
            out[node.name] = "\n".join(lines[node.lineno - 1:node.end_lineno])
    return out


def main(work: Path) -> None:
    cache: dict[str, dict[str, str]] = {}
    rows: list[tuple[str, str, str, str]] = []
    for line in (work / "results.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*(\S+)\.(x[ǁ_]\S+?)__mutmut_(\d+): (survived|no tests|timeout)$", line)
        if not m:
            continue
        module, fn, n, status = m.groups()
        path = work / "mutants" / (module.replace(".", "/") + ".py")
        funcs = cache.setdefault(module, functions(path))
        orig = funcs.get(f"{fn}__mutmut_orig", "").splitlines()[1:]
        mut = funcs.get(f"{fn}__mutmut_{n}", "").splitlines()[1:]
        diff = [d for d in difflib.unified_diff(orig, mut, lineterm="", n=0)
                if d[:1] in "+-" and not d.startswith(("+++", "---"))]
        text = " | ".join(re.sub(r"\s+", " ", d).strip() for d in diff)
        short = module.rsplit(".", 1)[-1]
        rows.append((short, f"{fn}__mutmut_{n}", status, text))
    for short, name, status, text in rows:
        reason, why = classify(short, name, text)
        print(f"{short}\t{name}\t{status}\t{reason}\t{why}\t{text}")



# --- classification (docs/mutation-testing.md, "Survivors") ----------------------------------------
# Each survivor gets a reason and a one-line why. Reasons:
#   text             only an error message, or an error's details / errors[] wording, changes; the documents
#                    fix status and code, never message wording or details (CAMP-ERR-004, CLUB-ERR-001/002).
#   equivalent       provably no behaviour change (the why says why).
#   inferred         a behaviour the documents leave open; the why names the catalogue id marked inferred.
#   simulation       a constant or formula of the mock's simulation that no document gives.
#   state-file       the state-file import checks (docs/reliability.md): not a document behaviour.
#   timing-boundary  < vs <= at an instant of the model's own timing (timing.py: no document gives durations).
#   factory          the operation-function factory, a wrapper mutmut 3 cannot reach.
#   review           not explained by any rule: must stay 0.
# Generic rules come first (literal-only message changes, weakened asserts); then SPECIFIC, the rules naming
# functions or mutants, each with its reason. First match wins.

_STRING = re.compile(r'f?"(?:[^"\\]|\\.)*"|f?\'(?:[^\'\\]|\\.)*\'')


def _pairs(diff: str) -> list[tuple[str, str]]:
    parts = diff.split(" | ")
    minus = [p[2:] for p in parts if p.startswith("- ")]
    plus = [p[2:] for p in parts if p.startswith("+ ")]
    return list(zip(minus, plus, strict=False)) if len(minus) == len(plus) else []


def _prose_only(diff: str) -> bool:
    """Every changed line differs from its original only in string literals that are prose (contain a space),
    or such a literal replaced by None / dropped: an error message."""
    pairs = _pairs(diff)
    if not pairs:
        return False
    for old, new in pairs:
        old_strings = _STRING.findall(old)
        skeleton_old = _STRING.sub("S", old)
        skeleton_new = re.sub(r"\bNone\b", "S", _STRING.sub("S", new))
        if skeleton_old != skeleton_new:
            return False
        new_strings = _STRING.findall(new)
        if len(new_strings) == len(old_strings):
            changed = [(a, b) for a, b in zip(old_strings, new_strings, strict=True) if a != b]
        else:  # a literal replaced by None
            changed = [(a, "") for a in old_strings if a not in new_strings]
        if not changed:
            return False
        for a, b in changed:
            holes = re.findall(r"\{[^}]*\}", a)
            if b and re.findall(r"\{[^}]*\}", b) != holes:  # an f-string's expressions changed, not its prose
                return False
            if " " not in re.sub(r"\{[^}]*\}", "", a):
                return False
    return True


def _weakened_assert(diff: str) -> bool:
    pairs = _pairs(diff)
    return bool(pairs) and all(a.lstrip().startswith("assert ") and b.lstrip().startswith("assert ") for a, b in pairs)


SPECIFIC: list[tuple[str, str, str, str]] = []  # (reason, module regex, regex over "mutant\tdiff", why); filled below


def classify(module: str, mutant: str, diff: str) -> tuple[str, str]:
    if _prose_only(diff):
        return "text", "only the prose of an error message changes"
    if _weakened_assert(diff):
        return "equivalent", "weakens an assert of an invariant the lines above establish; it never fails either way"
    for reason, mod_re, text_re, why in SPECIFIC:
        if re.search(mod_re, module) and re.search(text_re, f"{mutant}\t{diff}"):
            return reason, why
    return "review", ""


# Both APIs.
_WORLD_NONE = ("equivalent", "world is read only by target_count/audience lookups of a record whose value is already fixed "
               "on that path (Club: targetCount is fixed by schedule/execute, CLUB-GET-002, and every SCHEDULED/ACTIVE/"
               "PAUSED record has it), so passing None reads nothing different")
SPECIFIC += [
    ("factory", r".*", r"^x__read__|^x__transition__",
     "the operation-function factory: its body only forwards to _read_one/_act, which are measured"),
    ("state-file", r"^serialize$", r"",
     "state-file import checks (docs/reliability.md), not a document behaviour; their tests are the durability tests"),
]

# --- Club Campaigns (club_campaigns) ----------------------------------------------------------------
_C = r"^(operations|requests|views|delivery|stats|interactions|listing|funnel|envelope|records|recurrence)$"
SPECIFIC += [
    ("inferred", _C, r"^x_customer__|^x_interactions__mutmut_(15|16|44|49|50|61|74)\t",
     "the made-up people and ids of derived interactions: CLUB-INTER-001 (documented) fixes the fields, their "
     "values are the mock's (CLUB-INTER-005/006 inferred: counts and order, which are tested)"),
    ("text", _C, r"requests\.(zone_problem|future_problem)\((None|\"XX|\"[a-z.]*[A-Z]|\"SCHEDULE|\"TIMEZONE|\"scheduledat)",
     "the field name a problem reports (errors[].field / details.field): wording CLUB-ERR-002 (inferred) does not fix"),
    ("text", _C, r"codes\.invalid\((None, |f, \)|f\"\{f\} cannot)",
     "the field/message of an errors[] entry: wording CLUB-ERR-002 (inferred) does not fix"),
    ("text", _C, r"^x_timestamp__mutmut_(8|9|10|11)\t",
     "the field/message of the VALIDATION_FAILED errors[] entry (CLUB-ERR-002 fixes status and code only)"),
    ("text", _C, r"\{\"(XX)?(field|FIELD|id|ID|scheduledAt|scheduledat|SCHEDULEDAT|journeyId|journeyid|JOURNEYID)(XX)?\"|"
                 r"\{\"field\": \"(XX|scheduledat|SCHEDULEDAT)|stamp\(None\)\}\)|^x_future_problem__mutmut_(4|7)\t|"
                 r"^x_schedule_campaign__mutmut_(44|47)\t|^x_locate__mutmut_(19|22)\t|'XX, XX'",
     "an error's details object (CLUB-ERR-001 fixes status and code; details are the mock's)"),
    ("text", _C, r"^x_reference_problems__mutmut_(25|29|30|31)\t",
     "only the wording of the UNPROCESSABLE message ('a SMS template' vs 'a template'); getattr default None "
     "vs no default: rows are templates with a channel attribute, so the default is never used"),
    ("equivalent", _C, r"^x__own__mutmut_3\t", "table.get(None) is None: a missing key already reads as no row"),
    ("equivalent", _C, r"settle\(None|sent_count\(None|target_count\(None|\.status\(None", _WORLD_NONE[1]),
    ("equivalent", _C, r"^x__frozen_at__mutmut_[1-8]\t",
     "stopping the clock at cancel/completion is redundant in this model: cancel of an ACTIVE campaign is refused "
     "(the model follows 004's table, CLUB-LIFE-010), so a CANCELLED record was never started or was PAUSED (its "
     "open pause already freezes active time), and a COMPLETED finite campaign's count is capped at targetCount"),
    ("simulation", _C, r"^x__us__|^x_active_us__|^x_moment_of__|^x_sent_by_offset__|^x_offset_of_send__|^x_completion__",
     "the delivery simulation's arithmetic (CLUB-DELIV-001 inferred: targetCount messages evenly over 3600 s of "
     "active time); the tests pin its contract properties (monotone, capped, pause freezes, completion) at whole "
     "seconds, not each microsecond formula"),
    ("inferred", _C, r"^x_next_occurrence__",
     "a RECURRING campaign's default first occurrence (CLUB-SCHED-002/CLUB-TYPE-006, inferred); only a weekly "
     "schedule whose next Monday is pinned is tested"),
    ("inferred", _C, r"^x_timeline__mutmut_(5|9|43)\t",
     "per-hour opened figures (CLUB-STATS-011 inferred: 'opened figures add up to at most openedCount'); the "
     "mutants shift opened between hours or by one, the tests pin the sent sums and the sorted hours"),
    ("equivalent", _C, r"^x_interactions__mutmut_22\t",
     "funnel.counts(0, channel) is all zeros for either channel"),
    ("inferred", _C, r"^x_primary_channel__mutmut_(2|5)\t|^x_sms_sent__mutmut_2\t",
     "which channel the top-level counts follow (CLUB-STATS-009, inferred): killed by "
     "test_stats.py::test_an_sms_only_campaign_counts_its_sms_channel (after-check)"),
    ("inferred", _C, r"^x_timeline__mutmut_(1|29)\t|^x_campaign_object__mutmut_10\t|^x_list_item__mutmut_10\t",
     "an EMAIL campaign's opened figures on the timeline / campaign / list item (CLUB-STATS-009/011, inferred: "
     "the primary channel's counts, timeline opened 'at most openedCount'); no model test reads a running EMAIL "
     "campaign's openedCount there -- NOT killed, open"),
    ("equivalent", _C, r"^x_schedule__mutmut_(18|19)\t",
     "the 'UTC' fallback is unreachable: default_zone is the campaign's timezone, always set (body, else the club's)"),
    ("inferred", _C, r"^x_create_campaign__mutmut_71\t",
     "create with an unknown clubId and no timezone would read the missing club's timezone (CLUB-CREATE-006, "
     "inferred: 422); the tests send a timezone with an unknown club -- NOT killed, open"),
    ("text", _C, r"^x_problem_type__", "the problem-details type URI's spelling (CLUB-ERR-001 inferred: type is a URI, "
     "its path is the mock's)"),
    ("text", _C, r"^x_render_error__mutmut_(7|8|9|10)\t", "the problem title falls back to the code for codes without "
     "a title; every code has one (codes.TITLE), so only an absent title's wording could differ"),
    ("equivalent", _C, r"^x_error_code__mutmut_(3|8)\t", "error_code reads the code of a rendered problem body, "
     "always a dict with a str code"),
    ("equivalent", _C, r"^x__user__mutmut_4\t", "every tenant of the fixtures has a token user; the fallback is unused"),
    ("inferred", _C, r"^x_locate__mutmut_(29|30|31|32|39|40|41|42|43|47|48|49|52)\t",
     "the alternative answer a write on a JOURNEY campaign may also get (409 INVALID_TRANSITION beside the model's "
     "409 MANAGED_BY_JOURNEY, CLUB-TYPE-005 inferred): the tests pin the model's answer, not the alternative set"),
    ("equivalent", _C, r"^x__located__mutmut_7\t", "settle of a refusal is never reached: the refusal is returned "
     "by the caller's isinstance test first"),
    ("text", _C, r"transitions\.refusal\((None, |c\.id, c\.status, None\)|c\.id, status, None\))",
     "the campaign id / action named in the INVALID_TRANSITION message (details currentStatus/allowedActions unchanged)"),
    ("inferred", _C, r"invalid\.append\(None\)|problems\.append\(None\)|^x_timestamp__mutmut_6\t",
     "a malformed scheduledAt (CLUB-VAL-005 inferred: RFC 3339 with an offset, else 400 VALIDATION_FAILED): "
     "killed by test_campaigns.py::test_a_malformed_scheduled_at_is_validation_failed (after-check)"),
    ("equivalent", _C, r"^x_settle__mutmut_(9|12)\t",
     "a SCHEDULED record's targetCount is already fixed by schedule (CLUB-GET-002) and segment sizes never change "
     "in the model, so re-reading it, keeping it or recomputing it later gives the same number"),
    ("equivalent", _C, r"completion\(None", _WORLD_NONE[1]),
    ("equivalent", _C, r"^x_create_campaign__mutmut_43\t|^x_schedule_campaign__mutmut_28\t",
     "'' and None are both falsy and never stored (the value is replaced or refused below)"),
    ("inferred", _C, r"^x_update_campaign__mutmut_34\t",
     "break after a bad scheduledAt skips the body's later fields: the answer is still a refusal, only which of "
     "several problems comes first can change (CLUB-ERR-009 inferred: any of them is acceptable)"),
    ("inferred", _C, r"requests\.zone_problem\(\"(schedule\.)?timezone\", (None|\(body\.get\((None|\"XX|\"SCHEDULE)|"
                     r"body\.get\((None|\"XX|\"TIMEZONE))|\.get\((None|\"XXtimezoneXX\"|\"TIMEZONE\")\)\)\]",
     "validation of a timezone on create/update (CLUB-VAL-003, inferred: IANA names only)"),
    ("inferred", _C, r"^x_create_campaign__mutmut_(67|68|69|71)\t",
     "create's own timezone vs the club's: killed by test_campaigns.py::test_create_keeps_the_timezone_it_is_given "
     "(CLUB-CREATE-002 documented; after-check)"),
    ("inferred", _C, r"^x_create_campaign__mutmut_174\t|^x_update_campaign__mutmut_(39|41|44|45|46|47)\t|"
                     r"^x_schedule__mutmut_1[3-9]\t|^x_update_campaign__mutmut_3[78]\t",
     "a RECURRING schedule's timezone and its default (CLUB-TYPE-006 inferred): killed by "
     "test_campaigns.py::test_a_recurring_schedule_keeps_its_timezone_else_takes_the_campaigns (after-check)"),
    ("inferred", _C, r"^x_update_campaign__mutmut_(49|50)\t",
     "without the tuple() the channels list never equals the stored tuple, so resending a locked campaign's own "
     "channels reads as a change (409) instead of a no-op: CLUB-UPDATE-006 (inferred) accepts both answers"),
    ("inferred", _C, r"^x_update_campaign__mutmut_(65|68|87|152|159)\t|^x_schedule_campaign__mutmut_(68|74)\t",
     "the alternative answers (`also`) another server may give: CLUB-UPDATE-006 and CLUB-TYPE-007 (inferred) allow "
     "409 besides the model's answer; the tests pin the model's own answer"),
    ("equivalent", _C, r"^x_create_campaign__mutmut_72\t", "`invalid` is empty at that point: += and = are the same"),
    ("equivalent", _C, r"^x_create_campaign__mutmut_(139|140|141)\t", "the kind argument only names the id series "
     "for the test id generator; ids stay unique"),
    ("equivalent", _C, r"^x_create_campaign__mutmut_206\t",
     "campaign_object(now=None) of a new DRAFT: settle and the counts do not read now for a record never started"),
    ("inferred", _C, r"^x_update_campaign__mutmut_163\t",
     "the answer to a PATCH that changes nothing (CLUB-UPDATE-006/007 inferred); the tests send unchanged values "
     "only to records whose view does not read now"),
    ("equivalent", _C, r"^x_schedule_campaign__mutmut_38\t",
     "only RECURRING campaigns have a schedule (a schedule on another type is refused, CLUB-UPDATE-008)"),
    ("inferred", _C, r"^x_schedule_campaign__mutmut_83\t|^x__act__mutmut_36\t",
     "updatedAt on schedule/actions (CLUB-UPDATE-007 inferred covers PATCH only; actions moving updatedAt is the "
     "mock's choice)"),
    ("inferred", _C, r"^x__resume__mutmut_6\t", "two pauses of one campaign: the second resume drops the first "
     "pause (CLUB-RESUME-002 inferred); tests pause once"),
    ("text", _C, r"^x__integer__mutmut_[678]\t", "the value reported for a non-integer query parameter below its "
     "minimum: it only feeds the VALIDATION_FAILED message"),
    ("inferred", _C, r"^x_stamp__mutmut_3\t", "times in the machine's local zone instead of UTC (004 writes UTC "
     "with a Z; CLUB-VAL-005): killed by test_campaigns.py::test_times_are_written_in_utc_whatever_the_machine_zone "
     "(after-check; first listed as equivalent, which it is not: a machine with TZ set shows it)"),
    ("equivalent", _C, r"^x_stamp__mutmut_15\t", "rstrip('XX0XX') strips the same trailing '0' characters"),
    ("inferred", _C, r"^x_campaign_object__mutmut_(102|106)\t",
     "pausedAt/resumedAt on the campaign (CLUB-GET-003 inferred): killed by "
     "test_lifecycle.py::test_the_campaign_shows_when_it_was_paused_and_resumed (after-check)"),
    ("equivalent", _C, r"^x_campaign_object__mutmut_115\t", "only RECURRING campaigns have a schedule"),
]


# --- Campaigns (experiture_v1) ----------------------------------------------------------------------
_E = r"^(operations|schedule|readiness|views|execution|reach|listing|index|idempotency|envelope|records|values|codes)$"
SPECIFIC += [
    ("text", _E, r"\t- .*errors=\[\{\"location|^x__err__|errors=(None|\[\{\"(XX|LOCATION|location\": \"(XX|BODY)|[a-z]+\", \"(XX|FIELD|field\": \"(XX|MODE))))|"
                 r"(sendAt|batchDate|channel|mode)=None[,)]|, \)\]|\{\"(XX)?(idempotencyKey|idempotencykey|IDEMPOTENCYKEY)|"
                 r"^x_key_problem__mutmut_(13|14|16|17)\t|^x__send_at_problem__mutmut_(13|14|17|27|30)\t|"
                 r"^x__batch_date_problem__mutmut_(14|17|26|29)\t|^x_intent_from_request__mutmut_(93|94|95|98|99|104)\t|"
                 r"^x__timezone_problem__|^x_job_problems__mutmut_(9|40|56)\t|^x_preflight_checks__",
     "an error's message or details/errors[] entry (CAMP-ERR-004: the documents fix status and code only)"),
    ("equivalent", _E, r"^x_intent_from_request__mutmut_(26|28|52|54)\t",
     "`+=` on a list that is still empty there: same list either way"),
    ("equivalent", _E, r"^x_create_schedule_job__mutmut_3\t", "send=None is falsy like send=False"),
    ("equivalent", _E, r"^x__create_job__mutmut_9\t", "job_problems does not read its tenant argument"),
    ("equivalent", _E, r"^x_job_problems__mutmut_114\t",
     "the only caller (_create_job) reads timing only when problems is empty"),
    ("equivalent", _E, r"^x_clone_campaign__mutmut_38\t",
     "clone is refused for every non-broadcast campaign (locate: TYPE_UNSUPPORTED), and broadcast is the default"),
    ("equivalent", _E, r"new_id\(\"(XX)?(campaign|CAMPAIGN|version|VERSION)",
     "the kind argument only names the test id generator's series; ids stay unique"),
    ("equivalent", _E, r"^x_clone_campaign__mutmut_55\t",
     "a clone without included audiences reads reach idle whatever audience_bound_at says (reach_status)"),
    ("equivalent", _E, r"^x__today__mutmut_4\t", "callers pass a zone already validated, or get None from zone() "
     "for an unknown one and then fail on the timezone problem first; astimezone(None) is never reached with a result used"),
    ("simulation", r"^(execution|reach)$", r"x_final_counts|x_counts__mutmut_(7|29|31|32|34)\t|x_audience_size",
     "the execution simulation's losses and progress curve (per-mille drops, half lost on failure, stage lag): "
     "no document gives a formula; CAMP-EXEC-007 (inferred) only requires monotone counts, which is tested"),
    ("timing-boundary", r"^(execution|views|reach)$", r"(<|>)=? .*\| \+ .*(<|>)=? ",
     "< vs <= at the exact instant execution starts/ends: the documents give no durations (timing.py is the "
     "mock's, CAMP-EXEC-004/005), so which side of the instant belongs to which state is the mock's"),
    ("inferred", _E, r"^x_status__mutmut_(25|26)\t",
     "status.schedule.active while pending_or_overdue (CAMP-OBS-008 documents the boolean; 003 shows it false "
     "after completion only; true until execution starts is decisions.md's, CAMP-EXEC-008 inferred)"),
    ("inferred", _E, r"^x_job_result__mutmut_(20|21)\t",
     "the binding's node_key value: CAMP-JOB-015 fixes the binding's fields; 'send_1' is 001's example value, "
     "which the mock copies"),
    ("equivalent", _E, r"^x_(error_code|data)__mutmut_\d+\t",
     "envelope.error_code/data read rendered answers for the HTTP layer and the conformance engine, never the model "
     "(no model test calls them; their callers' tests are the HTTP tests)"),
    ("inferred", _E, r"^xǁCampaignsǁsetdefault__",
     "dict.setdefault on the indexed campaign map: no model code calls it (kept for dict compatibility, index.py); "
     "the indexes' agreement with the map is CAMP-LIST-003 (tested through __setitem__/pop)"),
]


SPECIFIC += [
    ("inferred", _E, r"^x__create_job__mutmut_(103|104)\t",
     "the key of a warning's message (CAMP-JOB-021, inferred: warnings are {code, message}); the tests read codes"),
    ("text", _E, r"^x_audience_problems__|^x_replace_content__mutmut_(2[2-8]|3[2-9]|4[0-4])\t|^x_job_problems__mutmut_"
                 r"([7-9]|1\d|2[0-8]|9[6-9]|10\d|11[0-3])\t|^x__not_draft__mutmut_(3|4|6|7|10|11|12)\t|"
                 r"^x_create_campaign__mutmut_11\t|^x_job_timing__mutmut_130\t",
     "an error's message, errors[] entry or details object (CAMP-ERR-004: the documents fix status and code only)"),
    ("equivalent", _E, r"ids\(\"(XX)?(schedule|SCHEDULE|manifest|MANIFEST|execution|EXECUTION)",
     "the kind argument only names the id generator's series; ids stay unique"),
    ("equivalent", _E, r"^x_create_campaign__mutmut_78\t",
     "campaign_object(now=None) of a new campaign: with no audience bound, reach and execution never read now"),
    ("equivalent", _E, r"^x_job_problems__mutmut_62\t", "'' and None are both falsy; timing is replaced before any use"),
    ("equivalent", _E, r"^x_locate__mutmut_4\t", "'' and 'XXXX' both name no campaign"),
    ("equivalent", _E, r"^x__tenant__mutmut_3\t",
     "a tenant missing from the world only lends its (absent) default timezone: Tenant(None) has none either"),
    ("equivalent", _E, r"^xǁWorldǁtemplate__mutmut_3\t", "templates.get(None) is None, as the guarded branch gives"),
    ("equivalent", _E, r"^xǁCampaignsǁupdate__mutmut_2\t", "no caller passes keyword arguments to update()"),
    ("equivalent", _E, r"^xǁCampaignsǁpop__mutmut_3\t", "only reached when cid is absent: popping None also finds "
     "nothing and returns the default / raises KeyError alike"),
    ("inferred", _E, r"^xǁCampaignsǁpop__mutmut_7\t|^xǁCampaignsǁ__delitem__",
     "dict-protocol methods of the indexed map that no model code calls (records are soft-deleted); the index "
     "property test (CAMP-LIST-001..008) removes through pop() but never reads its return -- NOT killed, open"),
    ("inferred", _E, r"^x_select__mutmut_83\t",
     "only an offset within `limit` of sys.maxsize sees it (CAMP-LIST-012, inferred: any offset past the end is an "
     "empty page)"),
    ("inferred", _E, r"^x_replace_audience__mutmut_34\t|^x_replace_content__mutmut_52\t|^x__create_job__mutmut_134\t",
     "which operations besides PATCH move updatedAt (audience, content, a committed job): the documents do not "
     "say (CAMP-LIST-007 sorts by it; CAMP-META-004 is inferred and covers PATCH)"),
    ("equivalent", _E, r"^x_reach_status__mutmut_3\t",
     "a campaign with audience_bound_at set always has an include (an audience binding needs 1+ included)"),
    ("inferred", _E, r"^x_reach_view__mutmut_3[3-7]\t",
     "which previous count an idle (unbound) reach shows: CAMP-REACH-008 (inferred); unbound campaigns never "
     "had a previous reach in the model, so the tests cannot tell"),
]


if __name__ == "__main__":
    main(Path(sys.argv[1]))
