"""Initial schema of the sync server, with the sequence counter row and the server epoch.

Revision ID: 0001
Revises: 
Create Date: 2026-11-29
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attachment_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.Column('completed_ms', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('sha256')
    )
    op.create_table('attachment_chunks',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('chunk_index', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', 'chunk_index')
    )
    op.create_table('attachment_refs',
    sa.Column('row_id', sa.String(length=64), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('attachment_refs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_refs_sha256'), ['sha256'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at_ms', sa.BigInteger(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('client_addr', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at_ms'), ['at_ms'], unique=False)

    op.create_table('change_log',
    sa.Column('seq', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('row_id', sa.String(length=64), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('value_json', sa.Text(), nullable=True),
    sa.Column('hlc', sa.String(length=96), nullable=False),
    sa.Column('device_id', sa.String(length=64), nullable=False),
    sa.Column('pushed_by', sa.String(length=64), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('county', sa.String(length=6), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=False),
    sa.Column('village', sa.String(length=12), nullable=False),
    sa.Column('moved_to', sa.String(length=12), nullable=True),
    sa.PrimaryKeyConstraint('seq')
    )
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.create_index('ix_change_log_county_seq', ['county', 'seq'], unique=False)
        batch_op.create_index('ix_change_log_township_seq', ['township', 'seq'], unique=False)
        batch_op.create_index('ix_change_log_village_seq', ['village', 'seq'], unique=False)

    op.create_table('conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('row_id', sa.String(length=64), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('county', sa.String(length=6), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=False),
    sa.Column('village', sa.String(length=12), nullable=False),
    sa.Column('winner_value_json', sa.Text(), nullable=True),
    sa.Column('winner_hlc', sa.String(length=96), nullable=False),
    sa.Column('winner_device', sa.String(length=64), nullable=False),
    sa.Column('loser_value_json', sa.Text(), nullable=True),
    sa.Column('loser_hlc', sa.String(length=96), nullable=False),
    sa.Column('loser_device', sa.String(length=64), nullable=False),
    sa.Column('created_ms', sa.BigInteger(), nullable=False),
    sa.Column('resolved_ms', sa.BigInteger(), nullable=True),
    sa.Column('resolved_by', sa.String(length=64), nullable=True),
    sa.Column('resolution', sa.String(length=16), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.create_index('ix_conflicts_county', ['county', 'id'], unique=False)
        batch_op.create_index('ix_conflicts_township', ['township', 'id'], unique=False)
        batch_op.create_index('ix_conflicts_village', ['village', 'id'], unique=False)

    op.create_table('field_states',
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('row_id', sa.String(length=64), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('value_json', sa.Text(), nullable=True),
    sa.Column('hlc', sa.String(length=96), nullable=False),
    sa.Column('device_id', sa.String(length=64), nullable=False),
    sa.Column('pushed_by', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'row_id', 'field')
    )
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at_ms', sa.BigInteger(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('client_addr', sa.String(length=64), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempts_addr_at', ['client_addr', 'at_ms'], unique=False)
        batch_op.create_index('ix_login_attempts_user_at', ['username', 'at_ms'], unique=False)

    op.create_table('push_receipts',
    sa.Column('device_id', sa.String(length=64), nullable=False),
    sa.Column('change_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=True),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('at_ms', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('device_id', 'change_id')
    )
    op.create_table('record_rows',
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('row_id', sa.String(length=64), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('county', sa.String(length=6), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=False),
    sa.Column('village', sa.String(length=12), nullable=False),
    sa.Column('child_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('entity', 'row_id')
    )
    with op.batch_alter_table('record_rows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_rows_child_id'), ['child_id'], unique=False)
        batch_op.create_index('ix_record_rows_county', ['county', 'entity', 'row_id'], unique=False)
        batch_op.create_index('ix_record_rows_township', ['township', 'entity', 'row_id'], unique=False)
        batch_op.create_index('ix_record_rows_village', ['village', 'entity', 'row_id'], unique=False)

    op.create_table('seq_counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('server_meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_ms', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('devices',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_ms', sa.BigInteger(), nullable=False),
    sa.Column('last_seen_ms', sa.BigInteger(), nullable=True),
    sa.Column('revoked_ms', sa.BigInteger(), nullable=True),
    sa.Column('last_pull_cursor', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_devices_user_id'), ['user_id'], unique=False)

    counter = sa.table("seq_counter", sa.column("id", sa.Integer()), sa.column("value", sa.BigInteger()))
    op.bulk_insert(counter, [{"id": 1, "value": 0}])
    # A new epoch per database: a client that sees it change knows it talks to another (or a
    # restored) server and must re-push and re-download.
    meta = sa.table("server_meta", sa.column("key", sa.String()), sa.column("value", sa.String()))
    op.bulk_insert(meta, [{"key": "server_epoch", "value": uuid.uuid4().hex}])


def downgrade() -> None:
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_devices_user_id'))

    op.drop_table('devices')
    op.drop_table('users')
    op.drop_table('server_meta')
    op.drop_table('seq_counter')
    with op.batch_alter_table('record_rows', schema=None) as batch_op:
        batch_op.drop_index('ix_record_rows_village')
        batch_op.drop_index('ix_record_rows_township')
        batch_op.drop_index('ix_record_rows_county')
        batch_op.drop_index(batch_op.f('ix_record_rows_child_id'))

    op.drop_table('record_rows')
    op.drop_table('push_receipts')
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_user_at')
        batch_op.drop_index('ix_login_attempts_addr_at')

    op.drop_table('login_attempts')
    op.drop_table('field_states')
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.drop_index('ix_conflicts_village')
        batch_op.drop_index('ix_conflicts_township')
        batch_op.drop_index('ix_conflicts_county')

    op.drop_table('conflicts')
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index('ix_change_log_village_seq')
        batch_op.drop_index('ix_change_log_township_seq')
        batch_op.drop_index('ix_change_log_county_seq')

    op.drop_table('change_log')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at_ms'))

    op.drop_table('audit_log')
    with op.batch_alter_table('attachment_refs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_refs_sha256'))

    op.drop_table('attachment_refs')
    op.drop_table('attachment_chunks')
    op.drop_table('attachment_blobs')
