"""The conformance engine: drives any registered API's target over HTTP with its model as oracle
(hypothesis, httpx). It knows no API; everything API-specific comes from the plug-in (state_machine.registry).

    machine.py       build_machine: the engine + the families the spec switches on + the API's rules
    engine.py        the step: send -> predict -> compare -> commit -> spec check; violate/check; teardown
    families/        generic rules: access, idempotency, clock
    operations.py    operation sets read from the spec (on a resource, secured, keyed, creating, ...)
    requirements.py  the API's catalogue: levels, entries by code, entries by engine event (exercised_by)
    verdict.py       the one verdict (fail if documented or strict, else advisory) and the error classes
    oracle.py        predictions and commits through plugin.decide/locate
    clock.py         the target's clock as a window around each call
    exchanges.py     the transcript of a run and its reproduction (curl, Python script)
    record.py        per-requirement evidence for the report
    target.py        profiles and synchronous access to a target (in-process ASGI or HTTP)
    conformance.py   every exchange checked against the spec (an observer of Target)
"""
