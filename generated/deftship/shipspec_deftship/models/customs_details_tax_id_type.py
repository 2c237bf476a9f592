from enum import StrEnum


class CustomsDetailsTaxIdType(StrEnum):
    EIN = "EIN"
    SSN = "SSN"
    VAT = "VAT"

    def __str__(self) -> str:
        return str(self.value)
