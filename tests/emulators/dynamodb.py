"""moto's DynamoDB on 127.0.0.1:<port> for Rekey's tests.

Three differences from `moto_server`:
- requests are handled one at a time: DynamoDB applies each conditional
  write atomically, and moto's backend has no locks of its own;
- a transaction's rollback copy is taken once per table and shares the
  items a transaction replaces rather than copying them: moto 5.2.5 deep-
  copies the whole table once per item in the transaction, which makes a
  1,000-user import take minutes;
- it exits when its parent closes stdin, so a test run that ends in any
  way (even killed) leaves no emulator behind.
"""

import copy
import os
import sys
import threading
from collections import defaultdict

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple



class RollbackCopies:
    """Stands in for the `copy` module inside one transaction."""

    def __init__(self, transact_items):
        self.updates = [op["Update"] for op in transact_items if "Update" in op]
        self.copies = {}

    def __getattr__(self, name):
        return getattr(copy, name)

    def deepcopy(self, obj, memo=None):
        if not isinstance(obj, Table):
            return copy.deepcopy(obj, memo)
        if id(obj) not in self.copies:
            self.copies[id(obj)] = (obj, self.snapshot(obj))
        return self.copies[id(obj)][1]

    def snapshot(self, table):
        # Put and Delete replace or remove item objects, so sharing them is
        # safe; Update changes an item in place, so those are copied.
        snap = copy.copy(table)
        snap.items = defaultdict(dict)
        for hash_key, value in table.items.items():
            snap.items[hash_key] = dict(value) if isinstance(value, dict) else value
        for update in self.updates:
            if update["TableName"] != table.name:
                continue
            hash_key = DynamoType(update["Key"][table.hash_key_attr])
            if table.range_key_attr is None:
                if hash_key in snap.items:
                    snap.items[hash_key] = copy.deepcopy(snap.items[hash_key])
                continue
            range_key = DynamoType(update["Key"][table.range_key_attr])
            bucket = snap.items.get(hash_key, {})
            if range_key in bucket:
                bucket[range_key] = copy.deepcopy(bucket[range_key])
        return snap


original_transact = dynamodb_models.DynamoDBBackend.transact_write_items


def transact_write_items(self, transact_items):
    dynamodb_models.copy = RollbackCopies(transact_items)
    try:
        return original_transact(self, transact_items)
    finally:
        dynamodb_models.copy = copy


dynamodb_models.DynamoDBBackend.transact_write_items = transact_write_items

port = int(sys.argv[1])
app = DomainDispatcherApplication(create_backend_app)
one_at_a_time = threading.Lock()


def serialised(environ, start_response):
    with one_at_a_time:
        return list(app(environ, start_response))


def exit_with_parent():
    sys.stdin.read()
    os._exit(0)


threading.Thread(target=exit_with_parent, daemon=True).start()
run_simple(
    "127.0.0.1",
    port,
    serialised,
    threaded=True,
    request_handler=MotoRequestHandler,
)
