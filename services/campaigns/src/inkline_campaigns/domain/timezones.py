"""A contact's time zone, for quiet hours: from their qualified country, else their phone number.

Events carry no time zone. A country that spans several zones gets the zone most of its people live in;
an hour's error there still keeps messages out of the night for most contacts, and the quiet window is
wide enough to absorb it.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

COUNTRY_ZONES: dict[str, str] = {
    "GB": "Europe/London", "IE": "Europe/Dublin", "PT": "Europe/Lisbon", "ES": "Europe/Madrid",
    "FR": "Europe/Paris", "BE": "Europe/Brussels", "NL": "Europe/Amsterdam", "LU": "Europe/Luxembourg",
    "DE": "Europe/Berlin", "AT": "Europe/Vienna", "CH": "Europe/Zurich", "IT": "Europe/Rome",
    "DK": "Europe/Copenhagen", "NO": "Europe/Oslo", "SE": "Europe/Stockholm", "FI": "Europe/Helsinki",
    "PL": "Europe/Warsaw", "CZ": "Europe/Prague", "SK": "Europe/Bratislava", "HU": "Europe/Budapest",
    "SI": "Europe/Ljubljana", "HR": "Europe/Zagreb", "RO": "Europe/Bucharest", "BG": "Europe/Sofia",
    "GR": "Europe/Athens", "TR": "Europe/Istanbul", "UA": "Europe/Kyiv", "LT": "Europe/Vilnius",
    "LV": "Europe/Riga", "EE": "Europe/Tallinn", "IS": "Atlantic/Reykjavik", "RU": "Europe/Moscow",
    "US": "America/New_York", "CA": "America/Toronto", "MX": "America/Mexico_City",
    "BR": "America/Sao_Paulo", "AR": "America/Argentina/Buenos_Aires", "CL": "America/Santiago",
    "CO": "America/Bogota", "PE": "America/Lima", "AU": "Australia/Sydney", "NZ": "Pacific/Auckland",
    "JP": "Asia/Tokyo", "KR": "Asia/Seoul", "CN": "Asia/Shanghai", "HK": "Asia/Hong_Kong",
    "SG": "Asia/Singapore", "TH": "Asia/Bangkok", "ID": "Asia/Jakarta", "PH": "Asia/Manila",
    "IN": "Asia/Kolkata", "AE": "Asia/Dubai", "IL": "Asia/Jerusalem", "ZA": "Africa/Johannesburg",
}  # fmt: skip

# E.164 country calling codes, longest first when matching.
CALLING_CODES: dict[str, str] = {
    "44": "GB", "353": "IE", "351": "PT", "34": "ES", "33": "FR", "32": "BE", "31": "NL", "352": "LU",
    "49": "DE", "43": "AT", "41": "CH", "39": "IT", "45": "DK", "47": "NO", "46": "SE", "358": "FI",
    "48": "PL", "420": "CZ", "421": "SK", "36": "HU", "386": "SI", "385": "HR", "40": "RO", "359": "BG",
    "30": "GR", "90": "TR", "380": "UA", "370": "LT", "371": "LV", "372": "EE", "354": "IS", "7": "RU",
    "1": "US", "52": "MX", "55": "BR", "54": "AR", "56": "CL", "57": "CO", "51": "PE", "61": "AU",
    "64": "NZ", "81": "JP", "82": "KR", "86": "CN", "852": "HK", "65": "SG", "66": "TH", "62": "ID",
    "63": "PH", "91": "IN", "971": "AE", "972": "IL", "27": "ZA",
}  # fmt: skip


def country_for_number(wa_id: str) -> str | None:
    # A client known only by business-scoped user ID carries their country in front of it ("ES.1349…").
    if wa_id[2:3] == "." and wa_id[:2].isalpha():
        return wa_id[:2].upper()
    for length in (3, 2, 1):
        country = CALLING_CODES.get(wa_id[:length])
        if country is not None:
            return country
    return None


def zone_name_for(*, country_code: str | None, wa_id: str, default: str) -> str:
    country = (country_code or "").upper() or country_for_number(wa_id)
    return COUNTRY_ZONES.get(country or "", default)


def zone(name: str | None, default: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)
