from enum import StrEnum


class PackageSignature(StrEnum):
    ADULT_SIGNATURE = "adult_signature"
    NO_SIGNATURE = "no_signature"
    SIGNATURE = "signature"

    def __str__(self) -> str:
        return str(self.value)
