"""Settings of the notify service (env prefix `CARBON_NOTIFY_`; shared knobs use `CARBON_`).

Channels are off until configured: without `smtp_host` email notifications are recorded (pending) but
not sent; without `sms_gateway_url` the same holds for SMS. The retry schedule comes from the delivery
policy reference file; the two `retry_*` overrides exist for tests and incident handling.
"""

from decimal import Decimal
from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from carbon_shared.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CARBON_NOTIFY_", extra="ignore")
    service_name: ClassVar[str] = "notify"
    default_port: ClassVar[int] = 8005

    smtp_host: str | None = Field(None, description="SMTP server; unset: email is not sent")
    smtp_port: int = Field(25, description="SMTP port")
    smtp_from: str = Field("noreply@carbon.zhongwei.gov.cn", description="From address of every email")
    smtp_starttls: bool = Field(False, description="upgrade the SMTP connection with STARTTLS")
    smtp_username: str | None = Field(None, description="SMTP login (with smtp_password)")
    smtp_password: str | None = Field(None, description="SMTP password")
    sms_gateway_url: str | None = Field(None, description="HTTP gateway POSTed {phone, text}; unset: no SMS")
    regulator_department: str = Field("eco", description="department whose inbox the regulator role reads")
    delivery_batch_size: int = Field(50, description="deliveries one worker round claims per channel")
    retry_base_delay_seconds: Decimal | None = Field(None, description="override the policy's first delay")
    retry_max_attempts: int | None = Field(None, description="override the policy's attempts before dead")
    park_timeout_seconds: float = Field(
        300.0, description="route an event whose enterprise is still unknown after this long"
    )
    stream_poll_seconds: float = Field(0.2, description="how often the live stream looks for new events")
    stream_gap_grace_seconds: float = Field(2.0, description="wait for an uncommitted event id this long")
    stream_heartbeat_seconds: float = Field(15.0, description="SSE comment sent when idle this long")
