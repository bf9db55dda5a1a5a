"""Masking of identity numbers for lists (UU 27/2022): the region code and the last four digits
stay readable so that a cadre can tell records apart, the birth date in the middle is hidden."""


def mask_id(number: str | None) -> str:
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
