"""The Content-Security-Policy middleware: django-csp's, with the one exception the Django admin needs.

Member pages get the strict policy from settings.CONTENT_SECURITY_POLICY (scripts and styles only from our own
files, no inline code). Under /admin/ only, inline *styles* are allowed as well: Django's admin templates write a
`<style>` block in some configurations (change_list.html) and its widgets may set style attributes. Scripts stay
'self' there too. See docs/security.md.

An answer to a request with a bearer token (the mobile API) gets no policy: a browser never sends such a header
when it loads a page or a frame, only a script's fetch does, and the answer to a fetch is not rendered as a
document, so there is nothing for a document's policy to govern (X-Content-Type-Options: nosniff still comes from
SecurityMiddleware). Building the policy was a tenth of the member's hot balance read (issue 27).
"""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

ADMIN_PREFIX = "/admin/"


class PolicyMiddleware(CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if request.META.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer ":
            return response
        return super().process_response(request, response)

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX) and parts.update is None:
            parts.update = {"style-src": [UNSAFE_INLINE]}
        return parts
