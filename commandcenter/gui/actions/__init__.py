"""Case actions: the spec table, the action dialog and the controller that owns the QActions."""

from .controller import ActionController
from .dialog import CommandDialog
from .specs import SPECS, ActionSpec, FieldKind, FieldSpec

__all__ = ["SPECS", "ActionController", "ActionSpec", "CommandDialog", "FieldKind", "FieldSpec"]
