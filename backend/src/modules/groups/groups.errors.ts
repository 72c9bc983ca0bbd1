import { AppError } from '../../platform/http';

export class GroupNotFound extends AppError {
  readonly code = 'GROUP_NOT_FOUND';
  readonly status = 404;
  constructor() {
    super('There is no such group, or you are not a member.');
  }
}

export class NotGroupAdmin extends AppError {
  readonly code = 'NOT_GROUP_ADMIN';
  readonly status = 403;
  constructor() {
    super('Only an admin of the group may do this.');
  }
}

export class InviteInvalid extends AppError {
  readonly code = 'INVITE_INVALID';
  readonly status = 404;
  constructor() {
    super('This invitation does not exist, has expired, was revoked or is used up.');
  }
}

export class AlreadyMember extends AppError {
  readonly code = 'ALREADY_MEMBER';
  readonly status = 409;
  constructor() {
    super('You are a member of this group already.');
  }
}

export class LastAdmin extends AppError {
  readonly code = 'LAST_ADMIN';
  readonly status = 409;
  constructor() {
    super('A group keeps at least one admin: make another member admin first.');
  }
}

export class MemberNotFound extends AppError {
  readonly code = 'MEMBER_NOT_FOUND';
  readonly status = 404;
  constructor() {
    super('This person is not a member of the group.');
  }
}

export class InviteNotFound extends AppError {
  readonly code = 'INVITE_NOT_FOUND';
  readonly status = 404;
  constructor() {
    super('There is no such invitation in this group.');
  }
}
