"""Every domain's tables, imported once so the metadata is complete (migrations, tests)."""

from outrider.accounts import models as accounts_models
from outrider.alerts import models as alerts_models
from outrider.audit import models as audit_models
from outrider.committee import commitment_models as committee_commitment_models
from outrider.committee import models as committee_models
from outrider.cordon import models as cordon_models
from outrider.governance import models as governance_models
from outrider.intel import models as intel_models
from outrider.movements import field_pin_models as movements_field_pin_models
from outrider.movements import models as movements_models
from outrider.notify import directory_models as notify_directory_models
from outrider.notify import models as notify_models
from outrider.protocols import models as protocols_models
from outrider.registry import models as registry_models
from outrider.risk import models as risk_models
from outrider.sharing import models as sharing_models

__all__ = [
    "accounts_models",
    "alerts_models",
    "audit_models",
    "committee_commitment_models",
    "committee_models",
    "cordon_models",
    "governance_models",
    "intel_models",
    "movements_field_pin_models",
    "movements_models",
    "notify_directory_models",
    "notify_models",
    "protocols_models",
    "registry_models",
    "risk_models",
    "sharing_models",
]
