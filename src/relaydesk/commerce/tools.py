"""The demo store's tools: each declares what it changes and its risk, the facts governance needs, and runs.

Never call ``run`` directly from a conversation: wrap the tools in ``GovernedTools`` (see
``commerce_tools`` below and ``services/approvals.py``) so every call is judged and logged.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

from relaydesk.commerce import operations as ops
from relaydesk.commerce.ports import CommerceRepository
from relaydesk.commerce.records import Address, Order, User
from relaydesk.domain.errors import Conflict, InvalidInput, NotFound
from relaydesk.governance.actions import Risk, ToolSpec

ADDRESS = ("address1", "address2", "city", "state", "country", "zip")
MONEY_MOVES = ("order.status", "order.payment_history", "user.gift_card_balance")


class StoreTool:
    """A tool over the store's records. Subclasses set ``spec`` and override ``facts``/``run``."""

    spec: ToolSpec

    def __init__(self, repo: CommerceRepository) -> None:
        self.repo = repo

    def facts(self, args: dict[str, Any]) -> dict[str, Any]:
        return {}

    def run(self, args: dict[str, Any]) -> Any:
        raise NotImplementedError

    # helpers
    def order_facts(self, args: dict[str, Any]) -> tuple[dict[str, Any], Order | None, User | None]:
        order_id = _text(args, "order_id")
        order = self.repo.order(order_id)
        if order is None:
            return {"missing": f"order {order_id}"}, None, None
        user = self.repo.user(order.user_id)
        return {"owner_user_id": order.user_id, "order_status": order.status}, order, user

    def user_facts(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = _text(args, "user_id")
        return {"owner_user_id": user_id} if self.repo.user(user_id) else {"missing": f"customer {user_id}"}

    def load_user(self, args: dict[str, Any]) -> User:
        user = self.repo.user(_text(args, "user_id"))
        if user is None:
            raise NotFound(f"customer {args['user_id']} does not exist")
        return user

    def load(self, order_id: str) -> tuple[Order, User]:
        order = self.repo.order(order_id)
        if order is None:
            raise NotFound(f"order {order_id} does not exist")
        user = self.repo.user(order.user_id)
        if user is None:
            raise NotFound(f"the customer of order {order_id} does not exist")
        return order, user


def _text(args: dict[str, Any], key: str) -> str:
    value = args.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f'"{key}" must be a non-empty text, got {value!r}')
    return value.strip()


def _ids(args: dict[str, Any], key: str) -> list[str]:
    value = args.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InvalidInput(f'"{key}" must be a list of item ids, got {value!r}')
    return list(value)


def _address(args: dict[str, Any]) -> Address:
    return Address(*(str(args.get(k, "")).strip() for k in ADDRESS))


# -- identity and look-ups ------------------------------------------------------------------------
class FindUserByEmail(StoreTool):
    spec = ToolSpec(
        "find_user_id_by_email",
        "Find the customer's user id by e-mail (verifies identity).",
        ("email",),
        risk=Risk.LOW,
        authenticates=True,
    )

    def run(self, args: dict[str, Any]) -> str:
        user = self.repo.user_by_email(_text(args, "email"))
        if user is None:
            raise NotFound("no customer has that e-mail address")
        return user.id


class FindUserByNameZip(StoreTool):
    spec = ToolSpec(
        "find_user_id_by_name_zip",
        "Find the customer's user id by name and zip code.",
        ("first_name", "last_name", "zip"),
        risk=Risk.LOW,
        authenticates=True,
    )

    def run(self, args: dict[str, Any]) -> str:
        user = self.repo.user_by_name_zip(
            _text(args, "first_name"), _text(args, "last_name"), _text(args, "zip")
        )
        if user is None:
            raise NotFound("no customer has that name and zip code")
        return user.id


class GetUserDetails(StoreTool):
    spec = ToolSpec(
        "get_user_details",
        "The customer's profile: name, address, payment methods, orders.",
        ("user_id",),
        risk=Risk.LOW,
        personal=True,
    )

    def facts(self, args: dict[str, Any]) -> dict[str, Any]:
        return self.user_facts(args)

    def run(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.load_user(args)
        return user.to_json()


class GetOrderDetails(StoreTool):
    spec = ToolSpec(
        "get_order_details",
        "An order's status, items, address and payments.",
        ("order_id",),
        risk=Risk.LOW,
        personal=True,
    )

    def facts(self, args: dict[str, Any]) -> dict[str, Any]:
        return self.order_facts(args)[0]

    def run(self, args: dict[str, Any]) -> dict[str, Any]:
        return self.load(_text(args, "order_id"))[0].to_json()


class GetProductDetails(StoreTool):
    spec = ToolSpec(
        "get_product_details", "A product with its variants, prices and availability.", ("product_id",)
    )

    def facts(self, args: dict[str, Any]) -> dict[str, Any]:
        product_id = _text(args, "product_id")
        return {} if self.repo.product(product_id) else {"missing": f"product {product_id}"}

    def run(self, args: dict[str, Any]) -> dict[str, Any]:
        product = self.repo.product(_text(args, "product_id"))
        if product is None:
            raise NotFound(f"product {args['product_id']} does not exist")
        return product.to_json()


class ListProductTypes(StoreTool):
    spec = ToolSpec("list_all_product_types", "Every product type with its product id.")

    def run(self, args: dict[str, Any]) -> dict[str, str]:
        return {p.name: p.id for p in sorted(self.repo.products(), key=lambda p: p.name)}


OPERATORS: dict[type, Callable[..., float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def _evaluate(node: ast.AST) -> float:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    ):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        return OPERATORS[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in OPERATORS:
        return OPERATORS[type(node.op)](_evaluate(node.operand))
    raise InvalidInput("only numbers, + - * / and parentheses are allowed")


class Calculate(StoreTool):
    spec = ToolSpec("calculate", "Arithmetic on numbers: + - * / and parentheses.", ("expression",))

    def run(self, args: dict[str, Any]) -> str:
        expression = _text(args, "expression")
        if len(expression) > 200:
            raise InvalidInput("the expression is longer than 200 characters")
        try:
            value = _evaluate(ast.parse(expression, mode="eval"))
        except (SyntaxError, ZeroDivisionError) as exc:
            raise InvalidInput(f'cannot calculate "{expression}": {exc}') from None
        return str(round(value, 2))


class TransferToHuman(StoreTool):
    spec = ToolSpec(
        "transfer_to_human_agents", "Hand the customer to a person, with a summary.", ("summary",)
    )

    def run(self, args: dict[str, Any]) -> str:
        return "Transfer successful"


# -- changes --------------------------------------------------------------------------------------
class CancelPendingOrder(StoreTool):
    spec = ToolSpec(
        "cancel_pending_order",
        "Cancel a pending order and refund it.",
        ("order_id", "reason"),
        changes=MONEY_MOVES,
        risk=Risk.HIGH,
        personal=True,
    )

    def facts(self, args: dict[str, Any]) -> dict[str, Any]:
        facts, order, _ = self.order_facts(args)
        if order is not None:
            facts.update(cancel_reason=args.get("reason"), refund_amount=order.total_paid)
        return facts

    def run(self, args: dict[str, Any]) -> dict[str, Any]:
        order, user = self.load(_text(args, "order_id"))
        return self._save(ops.cancel_pending_order(order, user, str(args.get("reason"))))

    def _save(self, change: ops.Change) -> dict[str, Any]:
        self.repo.save(users=change.users, orders=change.orders)
        return change.order.to_json()


class ModifyOrderAddress(CancelPendingOrder):
    spec = ToolSpec(
        "modify_pending_order_address",
        "Change the shipping address of a pending order.",
        ("order_id", *ADDRESS),
        changes=("order.address",),
        risk=Risk.MEDIUM,
        personal=True,
    )

    def facts(self, args: dict[str, Any]) -> dict[str, Any]:
        return self.order_facts(args)[0]

    def run(self, args: dict[str, Any]) -> dict[str, Any]:
        order, _ = self.load(_text(args, "order_id"))
        return self._save(ops.modify_pending_order_address(order, _address(args)))


class ModifyOrderPayment(CancelPendingOrder):
    spec = ToolSpec(
        "modify_pending_order_payment",
        "Pay a pending order with another payment method.",
        ("order_id", "payment_method_id"),
        changes=("order.payment_history", "user.gift_card_balance"),
        risk=Risk.HIGH,
        personal=True,
    )

    def facts(self, args: dict[str, Any]) -> dict[str, Any]:
        facts, order, user = self.order_facts(args)
        method = user.payment_method(str(args.get("payment_method_id"))) if user else None
        if order is not None and method is not None:
            total = order.total_paid
            facts.update(
                payment_method_is_new=method.id not in ops.net_paid(order),
                charge_amount=total,
                refund_amount=total,
                gift_card_covers=ops.gift_card_covers(method, total),
                gift_card_balance=method.balance,
            )
        return facts

    def run(self, args: dict[str, Any]) -> dict[str, Any]:
        order, user = self.load(_text(args, "order_id"))
        return self._save(ops.modify_pending_order_payment(order, user, _text(args, "payment_method_id")))


class ModifyOrderItems(CancelPendingOrder):
    spec = ToolSpec(
        "modify_pending_order_items",
        "Swap items of a pending order for other options (once).",
        ("order_id", "item_ids", "new_item_ids", "payment_method_id"),
        changes=("order.items", "order.status", "order.payment_history", "user.gift_card_balance"),
        risk=Risk.HIGH,
        personal=True,
        once_per="order_id",
    )

    def facts(self, args: dict[str, Any]) -> dict[str, Any]:
        facts, order, user = self.order_facts(args)
        if order is None or user is None:
            return facts
        try:
            swap = ops.swap_items(
                order, _ids(args, "item_ids"), _ids(args, "new_item_ids"), self.repo.product_of_item
            )
        except (InvalidInput, NotFound, Conflict):
            return facts  # the back end refuses it with the precise reason when it runs
        method = user.payment_method(str(args.get("payment_method_id")))
        facts.update(
            price_difference=swap.difference,
            charge_amount=max(swap.difference, 0.0),
            refund_amount=max(-swap.difference, 0.0),
        )
        if method is not None:
            facts.update(
                gift_card_covers=ops.gift_card_covers(method, swap.difference),
                gift_card_balance=method.balance,
            )
        return facts

    def run(self, args: dict[str, Any]) -> dict[str, Any]:
        order, user = self.load(_text(args, "order_id"))
        return self._save(
            ops.modify_pending_order_items(
                order,
                user,
                _ids(args, "item_ids"),
                _ids(args, "new_item_ids"),
                _text(args, "payment_method_id"),
                self.repo.product_of_item,
            )
        )


class ExchangeDeliveredItems(ModifyOrderItems):
    spec = ToolSpec(
        "exchange_delivered_order_items",
        "Exchange delivered items for other options (once).",
        ("order_id", "item_ids", "new_item_ids", "payment_method_id"),
        changes=("order.status", "order.exchange"),
        risk=Risk.HIGH,
        personal=True,
        once_per="order_id",
    )

    def run(self, args: dict[str, Any]) -> dict[str, Any]:
        order, user = self.load(_text(args, "order_id"))
        return self._save(
            ops.exchange_delivered_order_items(
                order,
                user,
                _ids(args, "item_ids"),
                _ids(args, "new_item_ids"),
                _text(args, "payment_method_id"),
                self.repo.product_of_item,
            )
        )


class ReturnDeliveredItems(CancelPendingOrder):
    spec = ToolSpec(
        "return_delivered_order_items",
        "Return delivered items for a refund.",
        ("order_id", "item_ids", "payment_method_id"),
        changes=("order.status", "order.return"),
        risk=Risk.HIGH,
        personal=True,
    )

    def facts(self, args: dict[str, Any]) -> dict[str, Any]:
        facts, order, user = self.order_facts(args)
        if order is None or user is None:
            return facts
        facts["refund_amount"] = ops.returned_amount(order, _ids(args, "item_ids"))
        method = user.payment_method(str(args.get("payment_method_id")))
        if method is not None:
            facts["refund_method_allowed"] = ops.refund_method_allowed(order, method)
        return facts

    def run(self, args: dict[str, Any]) -> dict[str, Any]:
        order, user = self.load(_text(args, "order_id"))
        return self._save(
            ops.return_delivered_order_items(
                order, user, _ids(args, "item_ids"), _text(args, "payment_method_id")
            )
        )


class ModifyUserAddress(CancelPendingOrder):
    spec = ToolSpec(
        "modify_user_address",
        "Change the customer's default address.",
        ("user_id", *ADDRESS),
        changes=("user.address",),
        risk=Risk.MEDIUM,
        personal=True,
    )

    def facts(self, args: dict[str, Any]) -> dict[str, Any]:
        return self.user_facts(args)

    def run(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.load_user(args)
        change = ops.modify_user_address(user, _address(args))
        self.repo.save(users=change.users)
        return change.users[0][1].to_json()


TOOL_TYPES: tuple[type[StoreTool], ...] = (
    FindUserByEmail,
    FindUserByNameZip,
    GetUserDetails,
    GetOrderDetails,
    GetProductDetails,
    ListProductTypes,
    Calculate,
    TransferToHuman,
    CancelPendingOrder,
    ModifyOrderAddress,
    ModifyOrderPayment,
    ModifyOrderItems,
    ExchangeDeliveredItems,
    ReturnDeliveredItems,
    ModifyUserAddress,
)


def commerce_tools(repo: CommerceRepository) -> list[StoreTool]:
    """Every tool of the demo store over ``repo``."""
    return [tool_type(repo) for tool_type in TOOL_TYPES]
