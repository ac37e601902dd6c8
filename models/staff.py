"""Staff accounts and what each role may do (checked on the server for every request)."""

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import EmailStr
from sqlmodel import Field, SQLModel

from models.base import enum_column, new_id, utc_column
from models.text import CleanText


class Role(StrEnum):
    engagement_lead = "engagement_lead"
    cv_lead = "cv_lead"
    admin = "admin"
    viewer = "viewer"


ROLE_LABELS = {
    Role.engagement_lead: "Engagement lead",
    Role.cv_lead: "Community Voice Lead",
    Role.admin: "Administrator",
    Role.viewer: "Viewer",
}


class Permission(StrEnum):
    read = "read"
    record_session = "record_session"  # start cases
    drive_actions = "drive_actions"  # contact presenters, link owners, record owner replies
    intervene = "intervene"  # extend, override RAG, resolve escalations, close
    manage_directory = "manage_directory"
    manage_boards = "manage_boards"
    manage_users = "manage_users"
    approve_reports = "approve_reports"
    read_histories = "read_histories"  # decrypt Temporal payloads (/codec, the Temporal UI)
    manage_personal_data = "manage_personal_data"  # subject access archives, erasure


_LEAD = {
    Permission.read,
    Permission.record_session,
    Permission.drive_actions,
    Permission.manage_directory,
}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.viewer: frozenset({Permission.read}),
    Role.engagement_lead: frozenset(_LEAD),
    Role.cv_lead: frozenset(
        _LEAD | {Permission.intervene, Permission.approve_reports, Permission.read_histories}
    ),
    Role.admin: frozenset(Permission),
}


class StaffUserBase(SQLModel):
    email: EmailStr = Field(max_length=320, unique=True, index=True)
    name: str = Field(min_length=1, max_length=200)
    role: Role = enum_column(Role)


class StaffUserCreate(CleanText, StaffUserBase):
    password: str = Field(min_length=12, max_length=200)


class StaffUser(StaffUserBase, table=True):
    __tablename__ = "staff_user"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    password_hash: str
    active: bool = True
    failed_sign_ins: int = 0
    locked_until: datetime | None = utc_column()
    token_version: int = 0
    created_at: datetime = utc_column(nullable=False, now=True)

    def can(self, permission: Permission) -> bool:
        return self.active and permission in ROLE_PERMISSIONS[self.role]


class StaffUserPublic(StaffUserBase):
    id: uuid.UUID
    active: bool
