"""Alerts about runs that need attention, by webhook (Slack-compatible) and e-mail.

ornaments.extensions.alerts.RunAlerts sends them when a run's end is recorded (signal run_recorded).
"""

from ornaments.alerts.config import AlertConfig, ConfigError, SmtpServer
from ornaments.alerts.message import email_message, summary_text, webhook_payload
from ornaments.alerts.send import DeliveryError, post_webhook, send_email

__all__ = ["AlertConfig", "ConfigError", "DeliveryError", "SmtpServer", "email_message", "post_webhook",
           "send_email", "summary_text", "webhook_payload"]
