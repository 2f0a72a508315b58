"""How a task's judged nodes (tasks.progress.TaskState.nodes) read in a cell: the workbook's
总表 columns 下一节点 / 上一节点是否按期完成, and the missed-node flag of the portfolio."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .status import NodeOutcome


def _node(node) -> str:
    return f"{node.day:%m-%d} {node.description} {node.percent:g}%"


def next_node_text(state) -> str:
    """ "09-30 主体完工 70%" (提前完成 when already reached), or "" without a node to come."""
    node = state.next_node if state is not None else None
    if node is None:
        return ""
    ahead = "（已提前完成）" if node.outcome == NodeOutcome.AHEAD else ""
    return _node(node) + ahead


def last_node_text(state) -> str:
    """ "是：06-30 开工 30%" / "否：06-30 开工 30%（实际 20%）", or "" before the first node."""
    node = state.last_node if state is not None else None
    if node is None:
        return ""
    if node.outcome == NodeOutcome.MET:
        return f"是：{_node(node)}"
    reached = "未报送" if node.reached is None else f"{node.reached:g}%"
    return f"否：{_node(node)}（实际 {reached}）"


def node_cells(state) -> dict:
    """What a weekly snapshot row keeps of the nodes (reports.rollup, in SnapshotRow.details)."""
    return {"next": next_node_text(state), "last": last_node_text(state)}


def missed_title(state) -> str:
    """The missed nodes in words ("06-30 开工 30%；…"; "" when none): the flag's title."""
    return "；".join(_node(n) for n in (state.missed_nodes if state is not None else []))


def missed_flag(state) -> str:
    """A small marker after a light when nodes were missed ("" when none): the portfolio's
    and the dashboard's (which draws it from plain values: reports.dashboard_figures)."""
    missed = state.missed_nodes if state is not None else []
    if not missed:
        return mark_safe("")  # safe, so that light + flag stays safe
    return format_html(
        ' <span class="node-state node-missed" title="{}">节点未按期 {}</span>',
        missed_title(state),
        len(missed),
    )
