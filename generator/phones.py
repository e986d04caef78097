"""Phone numbers as people write them locally, parsed once with the country they are dialled in."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import shortnumberinfo

# phonenumbers compiles its metadata patterns through re's cache of 512; numbers from many
# countries overflow it and most of the time went on recompiling the same patterns.
if hasattr(phonenumbers, "enable_pattern_cache"):
    phonenumbers.enable_pattern_cache()


@dataclass(frozen=True)
class Number:
    """A checked number: `tel` is what goes in a tel:/sms: link, `key` identifies it for duplicates."""

    tel: str
    key: str
    short: bool


@lru_cache(maxsize=None)
def parse_number(value: str, region: str) -> Number | None:
    """Parse `value` as dialled in `region`; short codes (116 123, 988, 113, 024) are valid.

    Returns None when it is not a number that can be dialled there.
    """
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(number):
        tel = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return Number(tel, tel, short=False)
    # Short codes cannot be dialled in E.164 from abroad: link the digits as dialled locally.
    # phonenumbers' metadata lacks some national short codes (NL 113, BR 188), so a possible
    # short number not starting with a trunk prefix 0 is accepted too.
    digits = "".join(ch for ch in value if ch.isdigit())
    if value.lstrip().startswith("+"):
        return None
    possible = shortnumberinfo.is_possible_short_number(number) and not digits.startswith("0")
    if shortnumberinfo.is_valid_short_number(number) or possible:
        return Number(digits, f"{region}:{digits}", short=True)
    return None
