from enum import StrEnum


class StableTokenRequestGrantType(StrEnum):
    CLIENT_CREDENTIAL = "client_credential"

    def __str__(self) -> str:
        return str(self.value)
