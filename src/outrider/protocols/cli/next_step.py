"""`outrider protocols next-step`: what blocks a movement's approval now and who can clear it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from outrider.console import AsOpt, JsonOpt, emit, friendly, out
from outrider.protocols.cli.options import MovementArg, on_movement

if TYPE_CHECKING:
    from outrider.protocols.next_step import NextStep

app = typer.Typer()
# What each step that clears a block is, as the command says it.
REMEDIES = {
    "escort": "assign an escort unit ({who}: duty officers and administrators)",
    "waiver": "request a joint waiver (the planners or a party's approvers ask; every party approves)",
    "amend": "amend the plan (the requesting organisation's coordinators and administrators)",
}


def _print(step: NextStep) -> None:
    if step.transition == "none":
        out.print(f"movement {step.movement_id}: no approval ahead (see `outrider protocols override check`)")
        return
    if not step.checked:
        out.print(f"movement {step.movement_id}: no protocol in force has plan rules for its day")
    elif step.allowed:
        out.print(f"movement {step.movement_id}: nothing in the agreed protocol holds the approval now")
    for b in step.blocking:
        out.print(f"BLOCKS the approval: {b.rule_id} ({b.title})", highlight=False, markup=False)
        for r in b.remedies:
            text = REMEDIES[r.kind].format(who=", ".join(r.who))
            mark = "you may" if r.may else ("after submission" if r.later else "not you")
            out.print(f"  clears it: {text} ({mark})", highlight=False, markup=False)
        for problem in b.waiver_problems:
            out.print(f"  waiver: {problem}", highlight=False, markup=False)
    for w in step.warnings:
        out.print(f"warning: {w}")


@app.command("next-step")
@friendly
def next_step(movement: MovementArg, as_json: bool = JsonOpt, as_user: str | None = AsOpt) -> None:
    """What would block the approval now (nothing stored), what clears each block and whether you may."""
    from outrider.protocols import next_step as preview  # the risk kernels: imported when a command runs

    read = on_movement(as_user, movement, preview.preview_approval)
    emit(read, as_json, lambda: _print(read))
