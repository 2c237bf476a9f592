from enum import StrEnum


class GetAccessTokenGrantType(StrEnum):
    AUTHORIZED_CODE = "authorized_code"

    def __str__(self) -> str:
        return str(self.value)
