"""Access rules, for operations on one resource that have `security`: a call without a token or with an
unknown one is 401; a token of the caller's tenant lacking the operation's scope is 403; another tenant's
token does not find the resource (the API's not-found)."""
from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import rule

from contract_spec import Spec
from state_machine.kernel import Call, Decision
from state_machine.plugin import ApiPlugin

from ..engine import RESOURCES
from ..operations import on_resource, scoped, secured
from ..target import Target

LACKING_SCOPE, NO_TOKEN, UNKNOWN_TOKEN, OTHER_TENANT = "token_lacking_scope", "no_token", "unknown_token", "other_tenant"


def rules_for(spec: Spec, plugin: ApiPlugin, target: Target) -> type | None:
    operations = secured(spec, on_resource(spec, plugin))
    if not operations:
        return None
    credentials = [LACKING_SCOPE] if scoped(spec, operations) else []
    credentials += [NO_TOKEN, UNKNOWN_TOKEN, OTHER_TENANT]

    class AccessRules:
        @rule(resource=RESOURCES, operation=st.sampled_from(operations), credentials=st.sampled_from(credentials),
              data=st.data())
        def call_with_the_wrong_credentials(self, resource, operation, credentials, data):
            if credentials == LACKING_SCOPE:
                self._call_without_the_scope(resource, operation, data)
            elif credentials == OTHER_TENANT:
                if OTHER_TENANT in self.target.profile.tokens:
                    self._call_from_another_tenant(resource, operation)
            else:
                self._call_without_a_valid_token(resource, operation, bad=credentials == UNKNOWN_TOKEN)

        def _call_without_the_scope(self, resource: str, operation: str, data: Any) -> None:
            scope = self.spec.operations[operation].scope
            if scope is None:
                return
            candidates = [name for name, t in self.target.profile.tokens.items()
                          if scope not in t.get("scopes", []) and t.get("tenant", self.tenant) == self.tenant]
            if not candidates:
                return
            token = data.draw(st.sampled_from(sorted(candidates)), label="token")
            refused = self.plugin.error(self.plugin.codes.insufficient_scope, "")
            self.send(operation, resource, body=self.harmless_body(operation), token=token,
                      expect={(refused.status, refused.code)},
                      reqs=self.catalogue.exercised(operation, "lacking-scope"))

        def _call_without_a_valid_token(self, resource: str, operation: str, bad: bool) -> None:
            op = self.spec.operations[operation]
            headers = {"Authorization": "Bearer not-a-real-token"} if bad else None
            path = self.path(operation, resource)
            with self.clock.window():
                response = self.target.request(op.method, path, headers=headers,
                                               json_body=self.harmless_body(operation))
            self.transcript.record(op.method, path, None, headers or {}, self.harmless_body(operation), response,
                                   "401", [401])
            # An accepted call breaks "a token is needed"; a refusal is also held to its own code's rule.
            reqs = self.catalogue.exercised(operation, "no-valid-token")
            if not 200 <= response.status_code < 300:
                reqs += self.catalogue.exercised(operation, "unknown-token" if bad else "missing-token")
            self.check(reqs, response.status_code == 401,
                       f"{op.method} {op.path} without a valid token: expected 401, got {response.status_code}",
                       holds=f"{self.recheck.status(self.step)} == 401")

        def _call_from_another_tenant(self, resource: str, operation: str) -> None:
            # What the other tenant gets is the model's to say (its not-found may differ from the engine's
            # "no such endpoint" code); the engine's not-found only when the model finds the resource.
            tenant = self.target.profile.tokens[OTHER_TENANT].get("tenant", "")
            located = self.plugin.locate(self.oracle.world, Call(operation, tenant, self.clock.now(), resource))
            if isinstance(located, Decision):
                expect = set(located.acceptable)
            else:
                missing = self.plugin.error(self.plugin.codes.not_found, "")
                expect = {(missing.status, missing.code)}
            self.send(operation, resource, body=self.harmless_body(operation), token=OTHER_TENANT, expect=expect,
                      reqs=self.catalogue.exercised(operation, "other-tenant"))

    return AccessRules
