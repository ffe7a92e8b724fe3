"""The users of the test world: every role of every organisation (host security, the partner embassy, two
companies, an organisation party to nothing), apart from conftest.py so a test module can import them."""

WORLD_USERS = {
    "admin": ("host", ["admin"]),
    "duty": ("host", ["duty_officer"]),
    "analyst": ("host", ["analyst"]),
    "auditor": ("host", ["auditor"]),
    "liaison": ("embassy", ["liaison"]),
    "embassy_admin": ("embassy", ["admin"]),
    "coord": ("acme", ["coordinator"]),
    "acme_admin": ("acme", ["admin"]),
    "other_coord": ("other", ["coordinator"]),
}
