"""Google stand-ins: the service-account token endpoint, Calendar v3 and Sheets v4.

Point a service-account key's ``token_uri`` at ``{base}/token``; build Calendar with
``client_options={"api_endpoint": f"{base}/calendar/v3/"}``; send gspread's
``https://sheets.googleapis.com`` requests to ``base`` instead.
"""

from inkline_sandbox.google.app import GoogleSandbox
from inkline_sandbox.google.calendar import calendar_router
from inkline_sandbox.google.calendar_errors import CalendarError, CalendarFault
from inkline_sandbox.google.calendar_state import CalendarCall, CalendarOperation, CalendarState
from inkline_sandbox.google.oauth import OAuthState, TokenGrant, oauth_router
from inkline_sandbox.google.sheets import sheets_router
from inkline_sandbox.google.sheets_model import SheetsError, SheetsFault
from inkline_sandbox.google.sheets_state import SheetsCall, SheetsState

__all__ = [
    "CalendarCall",
    "CalendarError",
    "CalendarFault",
    "CalendarOperation",
    "CalendarState",
    "GoogleSandbox",
    "OAuthState",
    "SheetsCall",
    "SheetsError",
    "SheetsFault",
    "SheetsState",
    "TokenGrant",
    "calendar_router",
    "oauth_router",
    "sheets_router",
]
