"""Allowed values of an agreement's classification fields, with their labels."""

AGREEMENT_STATUSES = {
    "draft": "Draft",
    "active": "Active",
    "suspended": "Suspended",
    "expired": "Expired",
    "terminated": "Terminated",
}

RELATIONSHIPS = {
    "internal_same_controller": "Within the same controller (between our own teams)",
    "controller_to_controller": "Controller to controller (separate controllers)",
    "joint_controllers": "Joint controllers",
    "controller_to_processor": "Controller to processor (a supplier working for us)",
}

PROCESSOR = "controller_to_processor"

SCOPES = {
    "internal": "Internal (between teams of the same body)",
    "external": "External (with other organisations)",
}

FREQUENCIES = {
    "routine": "Routine, systematic sharing",
    "one_off": "One-off or ad hoc requests",
    "emergency": "Emergency sharing",
}

DIRECTIONS = {
    "outbound": "Outbound: we disclose",
    "inbound": "Inbound: we receive",
    "reciprocal": "Reciprocal: both sides disclose and receive",
    "pooled": "Pooled: parties add to a shared store",
}

REGIMES = {
    "uk_gdpr": "UK GDPR",
    "dpa_part3": "DPA 2018 Part 3 (law enforcement)",
    "part3_to_gdpr": "From Part 3 to a UK GDPR recipient",
    "gdpr_to_part3": "From UK GDPR to a Part 3 competent authority",
}

GDPR_REGIMES = frozenset({"uk_gdpr", "part3_to_gdpr", "gdpr_to_part3"})
PART3_REGIMES = frozenset({"dpa_part3", "part3_to_gdpr", "gdpr_to_part3"})

MARKINGS = {
    "": "No marking",
    "official": "OFFICIAL",
    "official_sensitive": "OFFICIAL-SENSITIVE",
    "secret": "SECRET",
    "top_secret": "TOP SECRET",
}

TRANSFER_METHODS = {
    "secure_email": "Secure email",
    "sftp": "Secure file transfer (SFTP)",
    "api": "System-to-system interface (API)",
    "shared_system_access": "Access to a shared system",
    "physical_media": "Encrypted physical media",
    "verbal": "Verbally",
    "other": "Another method",
}

PARTY_ROLES = {
    "discloser": "Discloses data",
    "recipient": "Receives data",
    "both": "Discloses and receives",
}

CONTROLLER_STATUSES = {
    "controller": "Controller",
    "joint_controller": "Joint controller",
    "processor": "Processor",
}

TRANSFER_MECHANISMS = {
    "uk_adequacy_regulations": "UK adequacy regulations",
    "idta": "International data transfer agreement (IDTA)",
    "uk_addendum_eu_sccs": "UK addendum to the EU standard contractual clauses",
    "bcr": "Binding corporate rules",
    "other_art46": "Another Article 46 safeguard",
    "art49_exception": "An Article 49 exception",
}

# Mechanisms that rest on Article 46 safeguards and so need a transfer risk assessment.
ART46_MECHANISMS = frozenset({"idta", "uk_addendum_eu_sccs", "bcr", "other_art46"})

LE_TRANSFER_GROUNDS = {
    "adequacy": "Adequacy regulations",
    "appropriate_safeguards": "Appropriate safeguards (s.75)",
    "special_circumstances": "Special circumstances (s.76)",
}

ONE_OFF_DECISIONS = {
    "approved": "Shared",
    "approved_in_part": "Shared in part",
    "refused": "Refused",
}
