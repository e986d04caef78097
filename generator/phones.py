"""Phone numbers as people write them locally, parsed once with the country they are dialled in,
and the one rule for the number every tel:, sms: and WhatsApp link carries."""
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
    """A checked number. `tel` is what a tel:/sms: link dials (see `dialled`), `key` identifies
    it for duplicates; `international` is False for a number that connects only from within
    `region` (its link then holds the digits as dialled there)."""

    tel: str
    key: str
    short: bool
    region: str = ""
    international: bool = False


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
        key = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        tel, international = dialled(number, region)
        return Number(tel, key, short=False, region=region, international=international)
    # Short codes cannot be dialled in E.164 from abroad: link the digits as dialled locally.
    # phonenumbers' metadata lacks some national short codes (NL 113, BR 188), so a possible
    # short number not starting with a trunk prefix 0 is accepted too.
    digits = "".join(ch for ch in value if ch.isdigit())
    if value.lstrip().startswith("+"):
        return None
    possible = shortnumberinfo.is_possible_short_number(number) and not digits.startswith("0")
    if shortnumberinfo.is_valid_short_number(number) or possible:
        return Number(digits, f"{region}:{digits}", short=True, region=region)
    return None


def dialled(number: phonenumbers.PhoneNumber, region: str) -> tuple[str, bool]:
    """The one dialling rule: E.164 when the number can be dialled from abroad, else the digits
    as dialled at home. `tel:+61131114` does not connect: Australia's 13 numbers, like its and
    India's 1800 numbers, are reached only from within the country (issue 14)."""
    if phonenumbers.can_be_internationally_dialled(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), True
    home = phonenumbers.format_number_for_mobile_dialing(number, region, with_formatting=False)
    return home or phonenumbers.national_significant_number(number), False


def emergency_tel(value: str, region: str) -> str:
    """What a link to an emergency number (site.yaml `emergency`) dials: the same rule as contacts."""
    number = parse_number(value, region)
    return number.tel if number else "".join(ch for ch in value if ch.isdigit())
