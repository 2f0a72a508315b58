"""Notice types and which channels each uses by default (plain data, no Django).

In-app is always on and is not a choice; the office turns e-mail, the unit's group robot and
SMS on or off per type (notifications.models.NoticeRule overrides these defaults).
"""

REMINDER = "reminder"
REMINDER_2 = "reminder_2"
REMINDER_3 = "reminder_3"
INSTRUCTION = "instruction"
RETURNED = "returned"
ORDER = "order"
COORDINATION = "coordination"

NOTICE_TYPES = [
    (REMINDER, "催办"),
    (REMINDER_2, "二催"),
    (REMINDER_3, "三催"),
    (INSTRUCTION, "批示"),
    (RETURNED, "退回"),
    (ORDER, "督办单（红色）"),
    (COORDINATION, "需协调事项"),
]
NOTICE_LABELS = dict(NOTICE_TYPES)

EMAIL, ROBOT, SMS = "email", "robot", "sms"
OUTBOUND = [(EMAIL, "邮件"), (ROBOT, "群机器人"), (SMS, "短信")]
CHANNEL_LABELS = {"inapp": "站内通知", **dict(OUTBOUND)}

# In-app always; robot for 催办; SMS only for 三催 and red notices (督办单); e-mail where it
# went before (reminders) and for the escalations.
DEFAULTS: dict[str, frozenset[str]] = {
    REMINDER: frozenset({EMAIL, ROBOT}),
    REMINDER_2: frozenset({EMAIL, ROBOT}),
    REMINDER_3: frozenset({EMAIL, ROBOT, SMS}),
    INSTRUCTION: frozenset(),
    RETURNED: frozenset(),
    ORDER: frozenset({EMAIL, ROBOT, SMS}),
    COORDINATION: frozenset({EMAIL}),
}
