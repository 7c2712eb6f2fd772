"""The OpenAPI document as the rest of the project uses it: operations, their scopes and parameters,
request validation with the documented error codes, and response checks.

The spec drives the mock (routing, validation) and the conformance suite (expectations, response
checks); neither keeps its own copy of what the document says.
"""
from .document import Operation, Parameter, Spec, load_spec
from .requests import RequestCheck, check_body, check_parameters
from .responses import declared_codes, response_problems, response_schema

__all__ = ["Operation", "declared_codes", "Parameter", "RequestCheck", "Spec", "check_body", "check_parameters",
           "load_spec", "response_problems", "response_schema"]
