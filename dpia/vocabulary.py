"""The fixed values a DPIA records, with the labels the pages show.

Keys are stored in the database, and labels follow the ICO's sample DPIA
template, UK GDPR and the Data Protection Act 2018 (DPA 2018).
"""

DPIA_STATUSES = {
    "draft": "Draft",
    "awaiting_dpo_advice": "Awaiting DPO advice",
    "awaiting_signoff": "Awaiting sign-off",
    "prior_consultation": "Prior consultation with the ICO",
    "approved": "Approved",
    "approved_with_conditions": "Approved with conditions",
    "not_proceeding": "Not proceeding",
    "under_review": "Under review",
    "superseded": "Superseded",
}

# States in which the project lead or the DPO may change the DPIA's steps.
EDITABLE_STATUSES = frozenset({"draft", "under_review"})
APPROVED_STATUSES = frozenset({"approved", "approved_with_conditions"})

REGIMES = {
    "uk_gdpr": "UK GDPR",
    "part3": "DPA 2018 Part 3 (law enforcement processing)",
    "both": "Both UK GDPR and DPA 2018 Part 3",
}

# Article 35(3) UK GDPR: any one of these makes a DPIA mandatory.
MANDATORY_CASES = {
    "profiling_significant_effects": (
        "Systematic and extensive evaluation or profiling with legal or similarly "
        "significant effects"
    ),
    "large_scale_special_category": "Large-scale special category or criminal offence data",
    "public_area_monitoring": "Large-scale systematic monitoring of a publicly accessible area",
}

# The ICO's list of processing likely to result in high risk (Article 35(4)).
ICO_HIGH_RISK_TYPES = {
    "innovative_technology": "Innovative technology, including artificial intelligence",
    "denial_of_service": "Decisions on access to a service, opportunity or benefit",
    "large_scale_profiling": "Large-scale profiling",
    "biometric": "Biometric data used to identify people",
    "genetic": "Genetic data",
    "data_matching": "Data matching or combining datasets from different sources",
    "invisible_processing": "Invisible processing (data not obtained from the person)",
    "tracking": "Tracking of location or behaviour",
    "targeting_vulnerable": "Targeting children or other vulnerable people",
    "risk_of_physical_harm": "Risk of physical harm if the data is breached",
}

# These ICO types count only when at least one WP248 criterion also applies.
ICO_TYPES_NEEDING_CRITERION = frozenset({"innovative_technology", "biometric", "genetic"})

# The nine criteria of the Article 29 Working Party guidelines (WP248 rev.01).
WP248_CRITERIA = {
    "evaluation_scoring": "Evaluation or scoring",
    "automated_decisions": "Automated decisions with legal or similarly significant effect",
    "systematic_monitoring": "Systematic monitoring",
    "sensitive_data": "Sensitive or highly personal data",
    "large_scale": "Data processed on a large scale",
    "matching_datasets": "Matching or combining datasets",
    "vulnerable_subjects": "Data about vulnerable people",
    "innovative_use": "Innovative use of technology or organisational solutions",
    "prevents_rights": "Processing that stops people using a right, service or contract",
}

SPECIAL_CATEGORIES = {
    "racial_ethnic": "Racial or ethnic origin",
    "political": "Political opinions",
    "religious": "Religious or philosophical beliefs",
    "trade_union": "Trade union membership",
    "genetic": "Genetic data",
    "biometric": "Biometric data used to identify someone",
    "health": "Health",
    "sex_life": "Sex life or sexual orientation",
}

ART6_BASES = {
    "a_consent": "Article 6(1)(a): consent",
    "b_contract": "Article 6(1)(b): contract",
    "c_legal_obligation": "Article 6(1)(c): legal obligation",
    "d_vital_interests": "Article 6(1)(d): vital interests",
    "e_public_task": "Article 6(1)(e): public task",
    "f_legitimate_interests": "Article 6(1)(f): legitimate interests",
}

LE_BASES = {
    "consent": "Section 35(2)(a): consent",
    "le_task": "Section 35(2)(b): necessary for a law enforcement task of a competent authority",
}

SCHEDULE_8_CONDITIONS = {
    "1": "Paragraph 1: statutory purposes",
    "2": "Paragraph 2: administration of justice",
    "3": "Paragraph 3: protecting someone's vital interests",
    "4": "Paragraph 4: safeguarding children and individuals at risk",
    "5": "Paragraph 5: personal data already in the public domain",
    "6": "Paragraph 6: legal claims",
    "7": "Paragraph 7: judicial acts",
    "8": "Paragraph 8: preventing fraud",
    "9": "Paragraph 9: archiving",
}

# Section 62(1) DPA 2018: operations an automated processing system must log.
LOGGED_OPERATIONS = {
    "collection": "Collection",
    "alteration": "Alteration",
    "consultation": "Consultation",
    "disclosure": "Disclosure, including transfers",
    "combination": "Combination",
    "erasure": "Erasure",
}

LIKELIHOODS = {"remote": "Remote", "possible": "Possible", "probable": "Probable"}
SEVERITIES = {"minimal": "Minimal", "significant": "Significant", "severe": "Severe"}
RISK_LEVELS = {"low": "Low", "medium": "Medium", "high": "High"}
RISK_RANK = {"low": 1, "medium": 2, "high": 3}

MEASURE_EFFECTS = {"eliminated": "Eliminated", "reduced": "Reduced", "accepted": "Accepted"}
MEASURE_STATUSES = {
    "planned": "Planned",
    "in_progress": "In progress",
    "in_place": "In place",
}

ADVICE_RESPONSES = {"accepted": "Accepted", "overruled": "Overruled"}

OUTCOMES = {
    "proceed": "Proceed",
    "proceed_with_conditions": "Proceed with conditions",
    "prior_consultation_required": "Prior consultation with the ICO required",
    "do_not_proceed": "Do not proceed",
}

# The state a sign-off outcome moves the DPIA to.
OUTCOME_STATUS = {
    "proceed": "approved",
    "proceed_with_conditions": "approved_with_conditions",
    "prior_consultation_required": "prior_consultation",
    "do_not_proceed": "not_proceeding",
}

PRIOR_CONSULTATION_TRIGGERS = {
    "art36_residual_high": "UK GDPR Article 36: a residual risk stays high",
    "s65_new_filing_system": (
        "DPA 2018 section 65: a new filing system with a high risk before mitigation"
    ),
    "dpo_decision": "The DPO decided to consult the ICO",
}
