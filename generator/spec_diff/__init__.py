"""Breaking-change report between two versions of a carrier spec.

`python -m generator diff OLD NEW` compares two OpenAPI 3.0.3 carrier specs
(specs/<carrier>.yaml, shaped by specs/CONVENTIONS.md) from the point of view of
a client built on the generated SDK, and says which differences break it.

A change is *breaking* when code written against the old generated package, or
the runtime behaviour it relies on, can fail against the new one. Which
direction is safe depends on who produces the data:

* Requests (parameters and request bodies) are what callers send. Accepting
  more is safe: a new optional field, a field becoming optional or nullable, a
  raised maximum, a type widened to a oneOf that still includes the old type, a
  new enum value. Accepting less breaks calls that worked: a removed field or
  parameter (the generated model loses the argument), a new required one, a
  lowered or new maxLength / x-field-length / maxItems / maximum, a raised or
  new minLength / minItems / minimum, a new or changed pattern, a removed enum
  value, a changed type.
* Responses are what the generated parser reads. Producing more breaks the
  parser or the code reading its result: a removed field, a field becoming
  optional or nullable (the caller may now read Unset or None), a widened type,
  an added enum value (openapi-python-client's `from_dict` raises ValueError on
  a value its enum lacks). Producing less is safe: a new field, a narrowed
  type. Length and range constraints on responses are reported but never
  breaking, because the generated parser does not check them.
* Operations are matched by method and path (path-parameter names ignored). A
  removed operation or a renamed operationId (the generated function's name)
  breaks; a new operation is an addition.
* The x- extensions drive the runtime: re-classifying an error code's `kind` or
  its `message_rules`, or changing x-idempotency, x-partial-success or
  x-envelope, changes how calls are retried or judged (exactly-once), so it
  breaks. A lowered or newly documented x-limits value breaks callers sized to
  the old one. Removing an error code breaks too: the runtime then classifies
  it by the root table or as `unknown`, a re-classification like a changed
  `kind` (unless the root table gives it the same handling). New codes,
  changed messages or names and x-known-values are reported but never
  breaking.
* Auth, servers and defaults are read by the runtime, not by
  openapi-python-client, yet they decide what a request carries and where it
  goes: a changed or removed security scheme (e.g. the header renamed), an
  operation's effective `security` changing (unless it only gains
  alternatives), x-auth, an operation's effective servers or the root servers
  changing (unless servers are only appended: the first is the default), and a
  changed `default` (the generated model sends it, the server applies it when
  omitted) all break. x-product-codes: a removed or changed product breaks, a
  new one is an addition.

`next_version` turns a report into a semver bump: major if anything breaks,
minor if something was added, patch for any other reported change, unchanged
when nothing changed. 0.x versions are bumped the same way (a breaking change
takes 0.4.2 to 1.0.0), not by the "anything may change below 1.0" convention:
generated packages have consumers from their first release.
"""

from .compare import diff_specs
from .grading import next_version, version_bump
from .loading import load_spec, read_text
from .model import Change, SpecDiffError
from .report import build_parser, main, render_report

__all__ = [
    "Change",
    "SpecDiffError",
    "build_parser",
    "diff_specs",
    "load_spec",
    "main",
    "next_version",
    "read_text",
    "render_report",
    "version_bump",
]
